namespace Chatport.Auth;

/// <summary>At start-up, makes the admin key if needed and says where it is kept — never the key itself.</summary>
internal sealed partial class AdminKeyAnnouncer(AdminKey adminKey, ILogger<AdminKeyAnnouncer> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        switch (adminKey.FilePath)
        {
            case null:
                LogConfigured(logger);
                break;
            case var path when adminKey.Generated:
                LogGenerated(logger, path);
                break;
            case var path:
                LogKept(logger, path);
                break;
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(101, LogLevel.Information, "Admin API key: taken from Chatport:AdminKey.")]
    private static partial void LogConfigured(ILogger logger);

    [LoggerMessage(102, LogLevel.Warning, "Admin API key: made a new one and kept it in {Path} (readable by this user only). Send its contents as Authorization: Bearer KEY.")]
    private static partial void LogGenerated(ILogger logger, string path);

    [LoggerMessage(103, LogLevel.Information, "Admin API key: kept in {Path}.")]
    private static partial void LogKept(ILogger logger, string path);
}
