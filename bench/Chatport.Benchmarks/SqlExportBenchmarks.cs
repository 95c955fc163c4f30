using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Chatport.Delivery.Destinations.Sql;
using Chatport.Storage.Deliveries;
using Microsoft.Data.Sqlite;

namespace Chatport.Benchmarks;

/// <summary>
/// The <c>sql</c> destination's write on SQLite: one batch of 64 seed conversations (6 messages, 2 pages, the
/// visitor and its variables each) made into statements and written in one transaction, as a group commit under a
/// burst does, into a real file (its fsync included). Each invocation writes new chats, so the tables grow as they
/// would.
/// </summary>
[MemoryDiagnoser]
public class SqlExportBenchmarks
{
    private const int BatchSize = 64;
    private readonly SqlTables _tables = new("chatport_");
    private string _folder = "";
    private SqliteConnection _connection = null!;
    private SqlWriter _writer = null!;
    private byte[] _seed = [];
    private long _nextChat;

    [GlobalSetup]
    public void Setup()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "schemas", "examples", "seed-sample.json");
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        _seed = JsonSerializer.SerializeToUtf8Bytes(document.RootElement);
        _folder = Directory.CreateTempSubdirectory("chatport-sqlbench-").FullName;
        _connection = new SqliteConnection($"Data Source={Path.Combine(_folder, "export.db")}");
        _connection.Open();
        _writer = new SqlWriter(_connection, postgres: false, _tables, timeoutSeconds: 30);
        _writer.EnsureSchemaAsync(CancellationToken.None).GetAwaiter().GetResult();
        if (WriteBatch().Any(written => !written))
        {
            throw new InvalidOperationException("The sql benchmark's first batch was not written.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _connection.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>64 conversations: statements made from their bodies, then one transaction.</summary>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public bool[] WriteBatch()
    {
        var rows = new List<SqlRows>(BatchSize);
        for (var i = 0; i < BatchSize; i++)
        {
            var chat = ++_nextChat;
            rows.Add(SqlRows.Of(new DeliveryWork($"dlv_{chat}", 208, "dst_bench", chat, 1, ["completed"], 0, DateTimeOffset.UnixEpoch, _seed), _tables));
        }
        return _writer.WriteAsync(rows, CancellationToken.None).GetAwaiter().GetResult();
    }
}
