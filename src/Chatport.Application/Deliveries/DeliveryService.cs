using Chatport.Delivery.Dispatching;
using Chatport.Storage;
using Chatport.Storage.Deliveries;

namespace Chatport.Application.Deliveries;

/// <summary>A delivery with its attempts, as the log shows it.</summary>
public sealed record DeliveryDetails(DeliveryRecord Delivery, IReadOnlyList<AttemptRecord> Attempts);

/// <summary>The live view of an account: what ended and what was delivered lately, and what waits, per destination.</summary>
/// <param name="ReadAt">When it was read (the server's clock).</param>
/// <param name="WindowSeconds">The window of <see cref="ConversationsLast5Minutes"/> and of each destination's counts.</param>
public sealed record LiveView(
    DateTimeOffset ReadAt,
    int WindowSeconds,
    long ConversationsLast5Minutes,
    long ConversationsLast60Minutes,
    long Pending,
    DateTimeOffset? OldestPendingCreatedAt,
    long Succeeded,
    long Failed,
    IReadOnlyList<DestinationLive> Destinations)
{
    /// <summary>Deliveries settled per second over the window, succeeded or failed.</summary>
    public double PerSecond => Math.Round((Succeeded + Failed) / (double)WindowSeconds, 2);

    /// <summary>How long the oldest pending delivery has waited, in whole seconds; null when none waits.</summary>
    public long? OldestPendingAgeSeconds => DestinationLive.Age(ReadAt, OldestPendingCreatedAt);
}

/// <summary>One destination in the live view.</summary>
public sealed record DestinationLive(
    string DestinationId, string? Name, string Kind, bool Enabled, long Pending, DateTimeOffset? OldestPendingCreatedAt, long Succeeded, long Failed,
    double PerSecond, long? OldestPendingAgeSeconds)
{
    internal static long? Age(DateTimeOffset now, DateTimeOffset? since) =>
        since is { } at ? Math.Max(0, (long)(now - at).TotalSeconds) : null;
}

/// <summary>The delivery log and replay of one delivery. Who may see which account is the caller's to say.</summary>
public sealed class DeliveryService(IChatportStore store, IDeliveryQueue queue, TimeProvider time)
{
    public const int MaxPage = 500;
    public const int DefaultPage = 50;

    /// <summary>The live view's window for deliveries and recent conversations.</summary>
    public static readonly TimeSpan LiveWindow = TimeSpan.FromMinutes(5);

    /// <summary>The live view's longer window for conversations.</summary>
    public static readonly TimeSpan LiveLongWindow = TimeSpan.FromMinutes(60);

    /// <summary>A page of an account's deliveries, newest first, with the id to pass as <c>before</c> for the next page.</summary>
    /// <param name="from">Only deliveries created at or after it: epoch ms or ISO 8601 (UTC unless it says otherwise).</param>
    /// <param name="to">Only deliveries created before it.</param>
    public async Task<Result<(IReadOnlyList<DeliveryRecord> Items, string? Next)>> ListAsync(
        long accountId, string? status, string? destinationId, int? limit, string? before, string? from = null, string? to = null,
        CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string[]>();
        if (status is not null && !DeliveryStatus.IsKnown(status))
        {
            errors["status"] = [$"status must be pending, succeeded or failed; not \"{status}\"."];
        }
        if (limit is < 1 or > MaxPage)
        {
            errors["limit"] = [$"limit must be between 1 and {MaxPage}."];
        }
        if (!TimeParameter.TryParseTime(from, out var fromTime))
        {
            errors["from"] = [TimeParameter.Invalid("from")];
        }
        if (!TimeParameter.TryParseTime(to, out var toTime))
        {
            errors["to"] = [TimeParameter.Invalid("to")];
        }
        if (fromTime is { } start && toTime is { } end && end <= start)
        {
            errors["to"] = ["to must be later than from."];
        }
        if (errors.Count > 0)
        {
            return Result<(IReadOnlyList<DeliveryRecord>, string?)>.Invalid(errors);
        }
        var size = limit ?? DefaultPage;
        var page = await store.ListDeliveriesAsync(new DeliveryQuery(accountId, status, destinationId, before, size, fromTime, toTime), cancellationToken);
        return Result<(IReadOnlyList<DeliveryRecord>, string?)>.Ok((page, page.Count == size ? page[^1].Id : null));
    }

    /// <param name="canSee">Whether the caller may see an account's deliveries; another account's is not found.</param>
    public async Task<Result<DeliveryDetails>> GetAsync(string id, Func<long, bool> canSee, CancellationToken cancellationToken = default)
    {
        var delivery = await store.GetDeliveryAsync(id, cancellationToken);
        if (delivery is null || !canSee(delivery.AccountId))
        {
            return NotFound<DeliveryDetails>(id);
        }
        return Result<DeliveryDetails>.Ok(new DeliveryDetails(delivery, await store.GetAttemptsAsync(id, cancellationToken)));
    }

    /// <summary>Sends one delivery again, under the same id (a receiver that de-duplicates by it keeps one copy).</summary>
    public async Task<Result<DeliveryRecord>> ReplayAsync(string id, Func<long, bool> canSee, CancellationToken cancellationToken = default)
    {
        var delivery = await store.GetDeliveryAsync(id, cancellationToken);
        if (delivery is null || !canSee(delivery.AccountId))
        {
            return NotFound<DeliveryRecord>(id);
        }
        await store.ReplayDeliveryAsync(id, time.GetUtcNow(), CancellationToken.None);
        queue.Wake();
        return Result<DeliveryRecord>.Ok((await store.GetDeliveryAsync(id, CancellationToken.None))!);
    }

    /// <summary>
    /// The live view of an account now: conversations ended in the last 5 and 60 minutes, and per destination (at most
    /// the account's, bounded by <c>DestinationsPerAccount</c>) its queue and the deliveries settled in the last 5.
    /// </summary>
    public async Task<Result<LiveView>> GetLiveAsync(long accountId, CancellationToken cancellationToken = default)
    {
        if (await store.GetAccountAsync(accountId, cancellationToken) is null)
        {
            return Result<LiveView>.NotFound($"There is no account {accountId}.");
        }
        var now = time.GetUtcNow();
        var window = (int)LiveWindow.TotalSeconds;
        var stats = await store.GetLiveStatsAsync(accountId, now - LiveWindow, now - LiveLongWindow, cancellationToken);
        var destinations = (await store.ListDestinationsAsync(accountId, cancellationToken)).ToDictionary(d => d.Id, StringComparer.Ordinal);
        var rows = stats.Destinations.Select(s =>
        {
            destinations.TryGetValue(s.DestinationId, out var d);
            return new DestinationLive(s.DestinationId, d?.Name, d?.Kind ?? "", d?.Enabled ?? false, s.Pending, s.OldestPendingCreatedAt,
                s.Succeeded, s.Failed, Math.Round((s.Succeeded + s.Failed) / (double)window, 2), DestinationLive.Age(now, s.OldestPendingCreatedAt));
        }).ToList();
        var oldest = rows.Where(r => r.OldestPendingCreatedAt is not null).Select(r => r.OldestPendingCreatedAt).Min();
        return Result<LiveView>.Ok(new LiveView(now, window, stats.ConversationsSince, stats.ConversationsSinceEarlier,
            rows.Sum(r => r.Pending), oldest, rows.Sum(r => r.Succeeded), rows.Sum(r => r.Failed), rows));
    }

    private static Result<T> NotFound<T>(string id) => Result<T>.NotFound($"There is no delivery {id}.");
}
