using System.Data.Common;

namespace Chatport.Storage.Relational;

/// <summary>Running the core's statements on connections of their own (a session's run in <see cref="RelationalStoreSession"/>).</summary>
internal abstract partial class RelationalStore
{
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

    private protected Task<int> ExecuteAsync(string sql, Action<DbCommand>? bind, CancellationToken cancellationToken) =>
        RunAsync(sql, bind, static (command, token) => command.ExecuteNonQueryAsync(token), cancellationToken);

    /// <summary>Binds <c>@account</c> and <c>@id</c>: one row of an account, by its id.</summary>
    internal static void BindAccountRow(DbCommand command, long accountId, string id)
    {
        command.AddBigint("@account", accountId);
        command.AddText("@id", id);
    }
}
