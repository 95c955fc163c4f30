using System.Data.Common;
using System.Text;
using Chatport.Storage;
using Chatport.Storage.Accounts;
using Chatport.Storage.Conversations;
using Chatport.Storage.Deliveries;
using Chatport.Storage.Destinations;
using Microsoft.Extensions.Time.Testing;

namespace Chatport.Tests.Compliance;

/// <summary>
/// What every dialect of <see cref="IChatportStore"/> must do, in the manner of Wolverine's
/// <c>MessageStoreCompliance</c>: one abstract suite, one small derived class per database. Where a dialect and this
/// suite disagree, the suite is the spec. Split into partial files by concern.
/// </summary>
public abstract partial class StoreCompliance : IAsyncLifetime
{
    protected static readonly DateTimeOffset Start = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);

    protected FakeTimeProvider Time { get; } = new(Start);

    protected IChatportStore Store { get; private set; } = null!;

    /// <summary>A migrated, empty store of the dialect under test, on <paramref name="time"/>.</summary>
    protected abstract Task<IChatportStore> CreateStoreAsync(FakeTimeProvider time);

    /// <summary>
    /// A new open connection straight to the database under test, beside the store: to see rows the store has no
    /// read for, or put rows in that a session only reads. The caller disposes it.
    /// </summary>
    protected abstract Task<DbConnection> OpenDatabaseAsync();

    /// <summary>The first row of <paramref name="sql"/> (<c>@p0</c>, <c>@p1</c>… bound to <paramref name="values"/>) on its own connection; null when none.</summary>
    protected async Task<object[]?> RowAsync(string sql, params object[] values)
    {
        await using var connection = await OpenDatabaseAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        Bind(command, values);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }
        var row = new object[reader.FieldCount];
        reader.GetValues(row);
        return row;
    }

    /// <summary>Runs <paramref name="sql"/> (bound as <see cref="RowAsync"/> binds) on its own connection.</summary>
    protected async Task ExecuteOnDatabaseAsync(string sql, params object[] values)
    {
        await using var connection = await OpenDatabaseAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        Bind(command, values);
        await command.ExecuteNonQueryAsync();
    }

    private static void Bind(DbCommand command, object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = $"@p{i}";
            parameter.Value = values[i];
            command.Parameters.Add(parameter);
        }
    }

    public async Task InitializeAsync() => Store = await CreateStoreAsync(Time);

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected DateTimeOffset Now => Time.GetUtcNow();

    protected long NowMs => Time.GetUtcNow().ToUnixTimeMilliseconds();

    protected static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    protected static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);

    protected async Task<Account> AccountAsync(long id, int inactivityTimeoutSeconds = 1800, AccountPlan plan = AccountPlan.Pro) =>
        (await Store.UpsertAccountAsync(new AccountChange(id, $"Account {id}", plan, inactivityTimeoutSeconds))).Account;

    protected static ConversationWrite Conversation(
        long accountId, long chatId, string body, string[]? kinds = null, long? endAt = null, long? beginAt = null,
        string source = "live", string? exportBody = null) =>
        new(accountId, chatId, Utf8(body), kinds ?? ["completed"], beginAt, endAt, source,
            exportBody is null ? (ReadOnlyMemory<byte>?)null : Utf8(exportBody)); // not `? null : byte[]`: that converts to an empty body

    protected async Task<ConversationWriteResult> WriteAsync(ConversationWrite conversation)
    {
        await using var session = await Store.BeginAsync();
        var result = await session.WriteConversationAsync(conversation);
        await session.CommitAsync();
        return result;
    }

    protected Destination NewDestination(string id, long accountId, params string[] kinds) => new(
        id, accountId, "webhook", $"Hook {id}", Enabled: true, DisabledReason: null, kinds,
        TimeoutSeconds: 15, RetrySchedule: [], """{"url":"https://example.com/hook"}""", Secrets: """{"secret":"whsec_one"}""",
        CreatedAt: Now, UpdatedAt: Now, LastSuccessAt: null, FailingSince: null);

    /// <summary>Enqueues a delivery in its own session; due at <paramref name="createdAt"/> (default now), unleased.</summary>
    protected async Task EnqueueAsync(
        string id, string destinationId, long accountId, long chatId, int version = 1, DateTimeOffset? createdAt = null,
        DateTimeOffset? leaseUntil = null, string[]? kinds = null)
    {
        var created = createdAt ?? Now;
        await using var session = await Store.BeginAsync();
        await session.EnqueueDeliveryAsync(
            new DeliveryWork(id, accountId, destinationId, chatId, version, kinds ?? ["completed"], 0, created, ReadOnlyMemory<byte>.Empty),
            leaseUntil ?? created);
        await session.CommitAsync();
    }

    /// <summary>Account 1, its destination <c>dst-1</c>, and conversation 100 at version 1 with body <c>v1</c>.</summary>
    protected async Task OutboxAsync()
    {
        await AccountAsync(1);
        await Store.CreateDestinationAsync(NewDestination("dst-1", 1));
        await WriteAsync(Conversation(1, 100, "v1"));
    }

    protected static AttemptResult Attempt(
        string deliveryId, int number, DateTimeOffset at, string status, int? statusCode = 200, DateTimeOffset? next = null,
        string? error = null, string? disable = null, string destinationId = "dst-1") =>
        new(deliveryId, destinationId, number, at, statusCode, 12.5, error, statusCode is null ? null : Utf8($"answer {number}"),
            status, next, disable);

    /// <summary>Whether <paramref name="task"/> is still running after a moment: it waits on a lock.</summary>
    protected static async Task AssertBlockedAsync(Task task)
    {
        var first = await Task.WhenAny(task, Task.Delay(TimeSpan.FromMilliseconds(300)));
        Assert.NotSame(task, first);
    }
}
