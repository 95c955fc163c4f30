using System.CommandLine;
using System.Net;

namespace Chatport.Cli.Remote;

/// <summary>
/// The options every command that talks to a running Chatport takes: <c>--url</c> (env <c>CHATPORT_URL</c>, default
/// <c>http://localhost:5080</c>), <c>--key</c> (env <c>CHATPORT_KEY</c>; for a loopback URL without either, the data
/// dir's <c>admin.key</c>), <c>--data-dir</c>, <c>--timeout</c> and <c>--json</c>.
/// </summary>
internal sealed class RemoteOptions
{
    public const string DefaultUrl = "http://localhost:5080";

    public Option<string> Url { get; } = new("--url")
    {
        Description = $"The running Chatport's address (env CHATPORT_URL).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("CHATPORT_URL") is { Length: > 0 } url ? url : DefaultUrl,
    };

    public Option<string?> Key { get; } = new("--key")
    {
        Description = "The API key: the admin key or an account's (env CHATPORT_KEY). When neither is given and the URL is on this "
            + "machine, the data dir's admin.key is read.",
    };

    public Option<string?> DataDir { get; } = new("--data-dir")
    {
        Description = "Where a local Chatport keeps its data, for its admin.key (default: Chatport:DataDir as serve reads it, "
            + "from appsettings.json or env Chatport__DataDir; else ./data).",
    };

    public Option<int> Timeout { get; } = new("--timeout")
    {
        Description = "Seconds each call may take before it is given up.",
        DefaultValueFactory = _ => 30,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print the result as JSON, for scripts.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Url);
        command.Options.Add(Key);
        command.Options.Add(DataDir);
        command.Options.Add(Timeout);
        command.Options.Add(Json);
        Url.Check(url => Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https",
            "--url must be an http:// or https:// address, such as http://localhost:5080.");
        Timeout.Check(seconds => seconds is >= 1 and <= 3600, "--timeout must be 1 to 3600 seconds.");
    }

    /// <summary>The settings a parse gave, with the key resolved.</summary>
    public RemoteSettings Read(ParseResult parseResult)
    {
        var url = new Uri(parseResult.GetValue(Url)!, UriKind.Absolute);
        var (key, keySource) = ResolveKey(url, parseResult.GetValue(Key), parseResult.GetValue(DataDir));
        return new RemoteSettings(url, key, keySource, TimeSpan.FromSeconds(parseResult.GetValue(Timeout)), parseResult.GetValue(Json));
    }

    private static (string? Key, string Source) ResolveKey(Uri url, string? option, string? dataDir)
    {
        if (option is { Length: > 0 })
        {
            return (option, "--key");
        }
        if (Environment.GetEnvironmentVariable("CHATPORT_KEY") is { Length: > 0 } fromEnvironment)
        {
            return (fromEnvironment, "CHATPORT_KEY");
        }
        if (!IsLoopback(url))
        {
            return (null, "none (give --key or set CHATPORT_KEY)");
        }
        var dir = dataDir is { Length: > 0 } ? dataDir : ConfiguredDataDir();
        var path = Path.GetFullPath(Path.Combine(dir, Auth.AdminKey.FileName));
        try
        {
            return File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } stored
                ? (stored, path)
                : (null, $"none (no --key, no CHATPORT_KEY, and no {path})");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"none (no --key, no CHATPORT_KEY, and {path} cannot be read: {e.Message})");
        }
    }

    /// <summary>
    /// <c>Chatport:DataDir</c> as <c>serve</c> on this machine reads it without arguments: the appsettings.json beside the
    /// binary, then the environment (<c>Chatport__DataDir</c>); <c>./data</c> when neither sets it.
    /// </summary>
    private static string ConfiguredDataDir()
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true, reloadOnChange: false)
            .AddEnvironmentVariables()
            .Build();
        return configuration[$"{Hosting.ChatportOptions.Section}:{nameof(Hosting.ChatportOptions.DataDir)}"] is { Length: > 0 } configured
            ? configured
            : new Hosting.ChatportOptions().DataDir;
    }

    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));
}

/// <summary>Where to call and with what.</summary>
/// <param name="KeySource">Where the key came from (an option, a variable, a file), said when it is refused.</param>
internal sealed record RemoteSettings(Uri Url, string? Key, string KeySource, TimeSpan Timeout, bool Json);
