using System.Collections.Concurrent;
using Chatport.Storage;
using Chatport.Storage.Accounts;

namespace Chatport.Delivery.Destinations;

/// <summary>
/// The time zone each account's people read times in (the account's <c>timeZone</c>), for kinds that show a
/// conversation to a person (CSV, transcripts), and the account itself for kinds that show it (an <c>http</c>
/// template's <c>account</c>); re-read from the store after a minute, UTC when unknown.
/// </summary>
public sealed class AccountZones(IChatportStore store, TimeProvider time)
{
    private static readonly TimeSpan Keep = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<long, (Account? Account, TimeZoneInfo Zone, DateTimeOffset Until)> _zones = new();

    /// <summary>The zone an account's <c>timeZone</c> names; UTC when it names none this machine knows (or is absent).</summary>
    public static TimeZoneInfo Resolve(string? timeZone) => TryResolve(timeZone ?? Account.DefaultTimeZone, out var found) ? found : TimeZoneInfo.Utc;

    /// <summary>Whether this machine knows the zone <paramref name="timeZone"/> names.</summary>
    public static bool TryResolve(string timeZone, out TimeZoneInfo zone) => TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out zone!);

    public async ValueTask<TimeZoneInfo> ZoneOfAsync(long accountId, CancellationToken cancellationToken) =>
        (await AccountOfAsync(accountId, cancellationToken)).Zone;

    /// <summary>The account (null when the store no longer has it) and its zone.</summary>
    public async ValueTask<(Account? Account, TimeZoneInfo Zone)> AccountOfAsync(long accountId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_zones.TryGetValue(accountId, out var entry) && entry.Until > now)
        {
            return (entry.Account, entry.Zone);
        }
        var account = await store.GetAccountAsync(accountId, cancellationToken);
        var zone = Resolve(account?.TimeZone);
        _zones[accountId] = (account, zone, now + Keep);
        return (account, zone);
    }
}
