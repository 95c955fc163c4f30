using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Chatport.Tests.Faults;

/// <summary>
/// A PostgreSQL of one test's own (eng/postgres.sh start), which the test may stop and start; never the shared
/// one in <c>CHATPORT_TEST_POSTGRES</c> that other tests use. Disposing stops it and removes its folder.
/// </summary>
internal sealed class DedicatedPostgres : IAsyncDisposable
{
    private readonly string _script;

    private DedicatedPostgres(string script, string dir, string connectionString)
    {
        _script = script;
        Dir = dir;
        ConnectionString = connectionString;
    }

    public string Dir { get; }

    public string ConnectionString { get; }

    public static async Task<DedicatedPostgres> StartAsync()
    {
        var root = RepositoryRoot();
        var script = Path.Combine(root, "eng", "postgres.sh");
        var output = await RunAsync(script, ["start", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(90));
        string Value(string key) => output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(key + "=", StringComparison.Ordinal))?[(key.Length + 1)..]
            ?? throw new InvalidOperationException($"eng/postgres.sh start printed no {key}=: {output}");
        return new DedicatedPostgres(script, Value("dir"), Value("connection"));
    }

    /// <summary>Stops the server at once (<c>-m immediate</c>: no checkpoint, connections cut, as a crash).</summary>
    public Task StopServerAsync() => PgCtlAsync("-D", Path.Combine(Dir, "data"), "-m", "immediate", "-w", "-t", "60", "stop");

    /// <summary>Starts the server again, and returns once it takes connections (after its crash recovery).</summary>
    public Task StartServerAsync() => PgCtlAsync("-D", Path.Combine(Dir, "data"), "-l", Path.Combine(Dir, "server.log"), "-w", "-t", "60", "start");

    /// <summary>The end of the server's log, for assertion messages.</summary>
    public string LogTail()
    {
        try
        {
            return string.Join('\n', File.ReadLines(Path.Combine(Dir, "server.log")).TakeLast(30));
        }
        catch (IOException e)
        {
            return e.Message;
        }
    }

    private static Task PgCtlAsync(params string[] args)
    {
        var pgCtl = Directory.GetDirectories("/usr/lib/postgresql")
            .Select(d => Path.Combine(d, "bin", "pg_ctl")).Where(File.Exists)
            .OrderBy(p => Version.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(p))) + ".0", out var v) ? v : new Version(0, 0))
            .LastOrDefault() ?? throw new InvalidOperationException("no /usr/lib/postgresql/*/bin/pg_ctl");
        // As eng/postgres.sh does: PostgreSQL refuses to run as root, so root runs it as the postgres user.
        return Environment.UserName == "root"
            ? RunAsync("runuser", ["-u", "postgres", "--", pgCtl, .. args], TimeSpan.FromSeconds(90))
            : RunAsync(pgCtl, args, TimeSpan.FromSeconds(90));
    }

    private static async Task<string> RunAsync(string file, string[] args, TimeSpan within)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', args)} did not finish within {within.TotalSeconds:0} s");
        }
        var output = await stdout;
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} exited with {process.ExitCode}: {output}{await stderr}");
        return output;
    }

    /// <summary>The folder holding Chatport.slnx, found from the test binaries upwards.</summary>
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Chatport.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no Chatport.slnx above {AppContext.BaseDirectory}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        await RunAsync(_script, ["stop", Dir], TimeSpan.FromSeconds(90));
    }
}
