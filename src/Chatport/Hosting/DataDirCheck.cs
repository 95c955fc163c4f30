using Microsoft.Extensions.Options;

namespace Chatport.Hosting;

/// <summary>
/// At start-up, warns when the data dir lets other users in. Chatport does not change the mode of a folder it did not
/// make: it may be a mount point, a home, or a folder set up for a backup agent's group. What Chatport writes in it
/// is 0600 either way (<see cref="Storage.OwnerOnly"/>); others can then see only the names of the files.
/// </summary>
internal sealed partial class DataDirCheck(IOptions<ChatportOptions> options, ILogger<DataDirCheck> logger) : IHostedService
{
    private const UnixFileMode Others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(options.Value.DataDir);
        if (!OperatingSystem.IsWindows() && Directory.Exists(path) && File.GetUnixFileMode(path) is var mode && (mode & Others) != 0)
        {
            LogOpen(logger, path, Convert.ToString((int)mode & 0x1FF, 8)); // the permission bits, as ls -l and chmod spell them
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(601, LogLevel.Warning, "The data dir {Path} is mode {Mode}: other users can list it. Chatport's files in it are readable by this user only; "
        + "to hide their names too, chmod 700 it.")]
    private static partial void LogOpen(ILogger logger, string path, string mode);
}
