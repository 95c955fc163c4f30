using System.Collections.Concurrent;
using Chatport.Storage;
using Chatport.Storage.Accounts;

namespace Chatport.Delivery.Destinations;

/// <summary>
/// The time zone each account's people read times in (the account's <c>timeZone</c>), for kinds that show a
/// conversation to a person (CSV, transcripts); re-read from the store after a minute, UTC when unknown.
/// </summary>
public sealed class AccountZones(IChatportStore store, TimeProvider time)
{
    private static readonly TimeSpan Keep = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<long, (TimeZoneInfo Zone, DateTimeOffset Until)> _zones = new();

    public async ValueTask<TimeZoneInfo> ZoneOfAsync(long accountId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_zones.TryGetValue(accountId, out var entry) && entry.Until > now)
        {
            return entry.Zone;
        }
        var name = (await store.GetAccountAsync(accountId, cancellationToken))?.TimeZone ?? Account.DefaultTimeZone;
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(name, out var found) ? found : TimeZoneInfo.Utc;
        _zones[accountId] = (zone, now + Keep);
        return zone;
    }
}
