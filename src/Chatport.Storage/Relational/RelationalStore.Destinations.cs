using System.Data.Common;
using Chatport.Storage.Destinations;

namespace Chatport.Storage.Relational;

internal abstract partial class RelationalStore
{
    private const string DestinationColumns = """
        id, account_id, kind, name, enabled, disabled_reason, kinds, timeout_seconds, retry_schedule, config, secrets,
        created_at, updated_at, last_success_at, failing_since, redact, redact_visitor, last_error
        """;

    private const string DestinationSelect = $"SELECT {DestinationColumns} FROM destinations";

    /// <summary>An account's enabled destinations (<c>@account</c>), oldest first: what a stored conversation is delivered to.</summary>
    internal readonly string EnabledRoutesSql =
        $"SELECT id, kinds FROM destinations WHERE account_id = @account AND enabled = {dialect.True} ORDER BY created_at, id";

    // A delegate made once: a session reads the routes for every conversation it writes.
    private Func<DbDataReader, DestinationRoute>? _readRoute;

    internal Func<DbDataReader, DestinationRoute> RouteReader => _readRoute ??= reader => new DestinationRoute(reader.GetString(0), Dialect.ReadKinds(reader, 1));

    public Task CreateDestinationAsync(Destination destination, CancellationToken cancellationToken = default) =>
        ExecuteAsync($"""
            INSERT INTO destinations ({DestinationColumns})
            VALUES (@id, @account, @kind, @name, @enabled, @reason, @kinds, @timeout, @schedule, @config, @secrets,
                    @created, @updated, @success, @failing, @redact, @redactVisitor, @lastError)
            """, command => BindDestination(command, destination), cancellationToken);

    public async Task<Destination?> GetDestinationAsync(long accountId, string id, CancellationToken cancellationToken = default)
    {
        var destination = await FindDestinationAsync(id, cancellationToken);
        return destination?.AccountId == accountId ? destination : null;
    }

    public Task<Destination?> FindDestinationAsync(string id, CancellationToken cancellationToken = default) =>
        QueryFirstAsync($"{DestinationSelect} WHERE id = @id", command => command.AddText("@id", id), ReadDestination, cancellationToken);

    public async Task<IReadOnlyList<Destination>> ListDestinationsAsync(long accountId, CancellationToken cancellationToken = default) =>
        await QueryAsync($"{DestinationSelect} WHERE account_id = @account ORDER BY created_at, id",
            command => command.AddBigint("@account", accountId), ReadDestination, cancellationToken);

    public async Task<bool> UpdateDestinationAsync(Destination destination, CancellationToken cancellationToken = default) =>
        await ExecuteAsync("""
            UPDATE destinations SET kind = @kind, name = @name, enabled = @enabled, disabled_reason = @reason, kinds = @kinds,
                timeout_seconds = @timeout, retry_schedule = @schedule, config = @config, secrets = @secrets,
                updated_at = @updated, last_success_at = @success, failing_since = @failing,
                redact = @redact, redact_visitor = @redactVisitor, last_error = @lastError
            WHERE id = @id AND account_id = @account
            """, command => BindDestination(command, destination), cancellationToken) == 1;

    /// <summary>Deletes the destination and, in the same transaction, its pending deliveries.</summary>
    public async Task<bool> DeleteDestinationAsync(long accountId, string id, CancellationToken cancellationToken = default)
    {
        await using var session = await BeginWriteAsync(cancellationToken);
        var deleted = await session.ExecuteAsync("DELETE FROM destinations WHERE id = @id AND account_id = @account",
            command => BindAccountRow(command, accountId, id), cancellationToken) == 1;
        if (deleted)
        {
            await session.ExecuteAsync("DELETE FROM deliveries WHERE destination_id = @id AND status = 'pending'",
                command => command.AddText("@id", id), cancellationToken);
        }
        await session.CommitAsync(cancellationToken);
        return deleted;
    }

    private void BindDestination(DbCommand command, Destination destination)
    {
        BindAccountRow(command, destination.AccountId, destination.Id);
        command.AddText("@kind", destination.Kind);
        command.AddText("@name", destination.Name);
        command.AddBoolean("@enabled", destination.Enabled);
        command.AddText("@reason", destination.DisabledReason);
        Dialect.AddKinds(command, "@kinds", destination.Kinds);
        command.AddInteger("@timeout", destination.TimeoutSeconds);
        Dialect.AddKinds(command, "@schedule", destination.RetrySchedule);
        command.AddText("@config", destination.Config);
        command.AddText("@secrets", destination.Secrets);
        command.AddTime("@created", destination.CreatedAt);
        command.AddTime("@updated", destination.UpdatedAt);
        command.AddTime("@success", destination.LastSuccessAt);
        command.AddTime("@failing", destination.FailingSince);
        Dialect.AddKinds(command, "@redact", destination.Redact);
        Dialect.AddKinds(command, "@redactVisitor", destination.RedactVisitor);
        command.AddText("@lastError", destination.LastError);
    }

    private Destination ReadDestination(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetInt64(1),
        reader.GetString(2),
        reader.GetStringOrNull(3),
        reader.GetBoolean(4),
        reader.GetStringOrNull(5),
        Dialect.ReadKinds(reader, 6),
        reader.GetInt32(7),
        Dialect.ReadKinds(reader, 8),
        reader.GetString(9),
        reader.GetStringOrNull(10),
        reader.GetTime(11),
        reader.GetTime(12),
        reader.GetTimeOrNull(13),
        reader.GetTimeOrNull(14))
    {
        Redact = Dialect.ReadKinds(reader, 15),
        RedactVisitor = Dialect.ReadKinds(reader, 16),
        LastError = reader.GetStringOrNull(17),
    };
}
