using System.CommandLine;
using System.Globalization;
using Chatport.Hosting;
using Chatport.Storage;

namespace Chatport.Cli;

/// <summary>
/// <c>chatport backup OUT</c>: a consistent copy of a live SQLite store in a new file (a running <c>serve</c> goes on
/// meanwhile). Settings as for <c>serve</c> (<c>--Chatport:DataDir=…</c>). A PostgreSQL store is told to use
/// <c>pg_dump</c>.
/// </summary>
internal static class BackupCommand
{
    public static Command Build()
    {
        var output = new Argument<string>("out") { Description = "The file to write (it must not exist): a SQLite database, the store as of one moment." };
        var backup = new Command("backup", "Copy the SQLite store, consistent as of one moment, into a new file while Chatport runs. "
            + "Restore: stop Chatport, put the file in the data folder as chatport.db (remove chatport.db-wal and chatport.db-shm), start it. "
            + "For PostgreSQL use pg_dump. Any setting can follow as --Chatport:Section:Key=value.")
        {
            output,
        };
        backup.TreatUnmatchedTokensAsErrors = false;
        backup.SetAction(async (parseResult, cancellationToken) =>
        {
            var path = parseResult.GetValue(output)!;
            using var host = await ChatportCommandHost.BuildAsync([.. parseResult.UnmatchedTokens]);
            if (host.Services.GetRequiredService<IChatportStore>() is not IStoreBackup store)
            {
                await Console.Error.WriteLineAsync("This Chatport stores its data in PostgreSQL: back it up with pg_dump "
                    + "(for example pg_dump --format=custom --file=chatport.dump DATABASE) and restore it with pg_restore.");
                return 2;
            }
            try
            {
                var bytes = await store.BackupAsync(path, cancellationToken);
                await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"Backed up the store to {Path.GetFullPath(path)} ({bytes / 1024.0 / 1024.0:0.0} MiB, readable by you only)."));
                return 0;
            }
            catch (IOException e) when (File.Exists(path))
            {
                await Console.Error.WriteLineAsync($"{path} exists already: name a new file. ({e.Message})");
                return 1;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"Could not write {path}: {e.Message}");
                return 1;
            }
        });
        return backup;
    }
}
