using Chatport.Storage;
using Chatport.Storage.Postgres;
using Npgsql;

namespace Chatport.Tests.Postgres;

/// <summary>The bounds the node adds to an operator's connection string, and what it leaves as the operator wrote it.</summary>
public sealed class PostgresDataSourceTests
{
    private static NpgsqlConnectionStringBuilder Built(string connectionString) =>
        new(PostgresDataSource.ConnectionString(new StorageOptions
        {
            ConnectionString = connectionString,
            CommandTimeout = TimeSpan.FromSeconds(20),
            ConnectTimeout = TimeSpan.FromSeconds(3),
        }));

    [Fact]
    public void Unstated_bounds_come_from_the_storage_settings()
    {
        var built = Built("Host=db;Database=chatport;Options=-c search_path=chat");
        Assert.Equal((3, 25, 10), (built.Timeout, built.CommandTimeout, built.KeepAlive));
        Assert.Equal("-c search_path=chat -c statement_timeout=20000 -c idle_in_transaction_session_timeout=40000", built.Options);
    }

    [Fact]
    public void Bounds_the_operator_stated_are_kept_and_a_quoted_password_is_not_read_as_keys()
    {
        var built = Built("Host=db;Password='x;Timeout=1';Command Timeout=90;Options='-c statement_timeout=60000'");
        Assert.Equal((3, 90), (built.Timeout, built.CommandTimeout));
        Assert.Equal("x;Timeout=1", built.Password);
        Assert.Equal("-c statement_timeout=60000 -c idle_in_transaction_session_timeout=40000", built.Options);
    }
}
