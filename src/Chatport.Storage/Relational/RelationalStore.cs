using System.Data.Common;

namespace Chatport.Storage.Relational;

/// <summary>
/// The store's database-neutral core: the SQL both databases run alike and the mapping of its rows, over plain
/// ADO.NET (<see cref="DbConnection"/>, <see cref="DbCommand"/>, <see cref="DbDataReader"/>). Each database derives
/// from it and supplies its connections; what it spells its own way comes from its <see cref="RelationalDialect"/>.
/// Split into partial files by concern.
/// </summary>
internal abstract partial class RelationalStore(RelationalDialect dialect, TimeProvider time)
{
    internal RelationalDialect Dialect { get; } = dialect;

    public abstract Task<IStoreSession> BeginAsync(CancellationToken cancellationToken = default);

    public Task PingAsync(CancellationToken cancellationToken = default) =>
        RunAsync("SELECT count(*) FROM schema_migrations", null, static (command, token) => command.ExecuteScalarAsync(token), cancellationToken);

    /// <summary>A connection of its own for one operation, open; the caller disposes it.</summary>
    private protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>A session for the store's own writes that belong in one transaction (in SQLite, the writer's).</summary>
    private protected async Task<RelationalStoreSession> BeginWriteAsync(CancellationToken cancellationToken) =>
        (RelationalStoreSession)await BeginAsync(cancellationToken);

    private protected long NowMs() => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// Runs one statement on a connection of its own: <paramref name="bind"/> sets its parameters and
    /// <paramref name="run"/> executes it, with the token the dialect allows.
    /// </summary>
    private protected async Task<T> RunAsync<T>(
        string sql, Action<DbCommand>? bind, Func<DbCommand, CancellationToken, Task<T>> run, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        bind?.Invoke(command);
        return await run(command, Dialect.CommandToken(cancellationToken));
    }

    private protected Task<T?> QueryFirstAsync<T>(string sql, Action<DbCommand>? bind, Func<DbDataReader, T> map, CancellationToken cancellationToken)
        where T : class =>
        RunAsync(sql, bind, (command, token) => command.ReadFirstAsync(map, token), cancellationToken);

    private protected Task<List<T>> QueryAsync<T>(string sql, Action<DbCommand>? bind, Func<DbDataReader, T> map, CancellationToken cancellationToken) =>
        RunAsync(sql, bind, (command, token) => command.ReadAllAsync(map, token), cancellationToken);

    /// <summary>Binds <c>@account</c> and <c>@id</c>: one row of an account, by its id.</summary>
    internal static void BindAccountRow(DbCommand command, long accountId, string id)
    {
        command.AddBigint("account", accountId);
        command.AddText("id", id);
    }

    private protected Task<int> ExecuteAsync(string sql, Action<DbCommand>? bind, CancellationToken cancellationToken) =>
        RunAsync(sql, bind, static (command, token) => command.ExecuteNonQueryAsync(token), cancellationToken);
}
