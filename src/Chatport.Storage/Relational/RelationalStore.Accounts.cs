using System.Data.Common;
using Chatport.Storage.Accounts;

namespace Chatport.Storage.Relational;

internal abstract partial class RelationalStore
{
    private protected const string AccountColumns = "id, name, plan, inactivity_timeout_seconds, created_at, updated_at, time_zone";

    /// <summary>One account by <c>@id</c>.</summary>
    internal const string AccountByIdSql = $"SELECT {AccountColumns} FROM accounts WHERE id = @id";

    /// <summary>Creates or updates an account (bound by <see cref="BindAccountChange"/>); each dialect tells which happened its own way.</summary>
    private protected const string UpsertAccountSql = """
        INSERT INTO accounts (id, name, plan, inactivity_timeout_seconds, created_at, updated_at, time_zone)
        VALUES (@id, @name, @plan, @timeout, @now, @now, @zone)
        ON CONFLICT (id) DO UPDATE SET
            name = excluded.name, plan = excluded.plan,
            inactivity_timeout_seconds = excluded.inactivity_timeout_seconds, updated_at = excluded.updated_at,
            time_zone = excluded.time_zone
        """;

    public Task<Account?> GetAccountAsync(long accountId, CancellationToken cancellationToken = default) =>
        QueryFirstAsync(AccountByIdSql, command => command.AddBigint("@id", accountId), ReadAccount, cancellationToken);

    private const string ListAccountsSql = $"SELECT {AccountColumns} FROM accounts WHERE (@after IS NULL OR id > @after) ORDER BY id LIMIT @limit";

    public async Task<AccountPage> ListAccountsAsync(long? afterId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, AccountPage.MaxLimit);
        var items = await QueryAsync(ListAccountsSql, command =>
        {
            command.AddBigint("@after", afterId);
            command.AddInteger("@limit", limit + 1);
        }, ReadAccount, cancellationToken);
        if (items.Count <= limit)
        {
            return new AccountPage(items, null);
        }
        items.RemoveRange(limit, items.Count - limit);
        return new AccountPage(items, items[^1].Id);
    }

    private protected void BindAccountChange(DbCommand command, AccountChange change)
    {
        command.AddBigint("@id", change.Id);
        command.AddText("@name", change.Name);
        command.AddText("@plan", AccountPlans.ToText(change.Plan));
        command.AddInteger("@timeout", change.InactivityTimeoutSeconds);
        command.AddBigint("@now", NowMs());
        command.AddText("@zone", change.TimeZone);
    }

    /// <summary>Runs <see cref="AccountByIdSql"/> in <paramref name="command"/> (which may be one SQLite's writer keeps compiled).</summary>
    internal static Task<Account?> ReadAccountAsync(DbCommand command, long accountId, CancellationToken token)
    {
        command.AddBigint("@id", accountId);
        return command.ReadFirstAsync(ReadAccount, token);
    }

    /// <summary>A row of <see cref="AccountColumns"/>.</summary>
    private protected static Account ReadAccount(DbDataReader reader) => ReadAccount(new ReaderRow(reader));

    /// <summary>A row of <see cref="AccountColumns"/>, from a reader or from a raw SQLite statement.</summary>
    internal static Account ReadAccount<TRow>(TRow row)
        where TRow : IRowValues => new(
        row.GetInt64(0),
        row.GetString(1),
        AccountPlans.Parse(row.GetString(2)),
        row.GetInt32(3),
        DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(4)),
        DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(5))) { TimeZone = row.GetString(6) };
}
