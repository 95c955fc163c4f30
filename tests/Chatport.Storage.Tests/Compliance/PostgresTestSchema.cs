using Npgsql;

namespace Chatport.Tests.Compliance;

/// <summary>
/// A fresh, empty schema on the server named by <c>CHATPORT_TEST_POSTGRES</c> (a Npgsql connection string), with a
/// data source whose <c>search_path</c> is that schema; dropped with everything in it on dispose.
/// </summary>
internal sealed class PostgresTestSchema : IAsyncDisposable
{
    public const string Variable = "CHATPORT_TEST_POSTGRES";

    private readonly string _serverConnectionString;
    private readonly List<NpgsqlDataSource> _dataSources = [];

    private PostgresTestSchema(string serverConnectionString, string name)
    {
        _serverConnectionString = serverConnectionString;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { SearchPath = name }.ConnectionString;
    }

    public string Name { get; }

    /// <summary>Connects straight into the schema.</summary>
    public string ConnectionString { get; }

    public static async Task<PostgresTestSchema> CreateAsync()
    {
        var server = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new InvalidOperationException(
                $"The PostgreSQL compliance tests need a server: set {Variable} to a Npgsql connection string, e.g. " +
                $"export {Variable}='Host=127.0.0.1;Port=55432;Username=postgres;Database=chatport' " +
                "(eng/postgres.sh start [PORT] starts a throw-away server and prints one). They never skip.");
        }
        var schema = new PostgresTestSchema(server, "chatport_t_" + Guid.NewGuid().ToString("N"));
        await schema.ExecuteOnServerAsync($"CREATE SCHEMA \"{schema.Name}\"");
        return schema;
    }

    /// <summary>A new pool on the schema (a "node"), disposed with the schema.</summary>
    public NpgsqlDataSource NewDataSource(int? maxPoolSize = null)
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
        if (maxPoolSize is { } max)
        {
            builder.MaxPoolSize = max;
        }
        var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        _dataSources.Add(dataSource);
        return dataSource;
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var dataSource in _dataSources)
        {
            await dataSource.DisposeAsync();
        }
        await ExecuteOnServerAsync($"DROP SCHEMA IF EXISTS \"{Name}\" CASCADE");
    }

    private async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_serverConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
