using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Chatport.Tests.Logging;

/// <summary>
/// A logger provider that keeps every entry the configured filters let through, as a console or a file
/// logger would have written it.
/// </summary>
internal sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    public sealed record Entry(string Category, LogLevel Level, EventId EventId, string Message)
    {
        public override string ToString() => $"{Level} {Category}[{EventId.Id}]: {Message}";
    }

    /// <summary>Every entry so far, oldest first.</summary>
    public IReadOnlyList<Entry> Entries => [.. _entries];

    /// <summary>The <c>Logging:LogLevel</c> settings of the shipped <c>appsettings.json</c>, as command-line settings.</summary>
    public static string[] ShippedLevels()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "appsettings.json")));
        return [.. settings.RootElement.GetProperty("Logging").GetProperty("LogLevel").EnumerateObject()
            .Select(level => $"--Logging:LogLevel:{level.Name}={level.Value.GetString()}")];
    }

    /// <summary>Adds this provider to the server's logging, behind the configured filters.</summary>
    public void AddTo(WebApplicationBuilder builder) => builder.Logging.AddProvider(this);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            capture._entries.Enqueue(new Entry(category, logLevel, eventId, formatter(state, exception)));
    }
}
