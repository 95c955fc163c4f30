namespace Chatport.Delivery.Destinations.File;

/// <summary>The zone an account's times are shown in (CSV times, transcripts).</summary>
public interface IAccountTimeZones
{
    ValueTask<TimeZoneInfo> ForAccountAsync(long accountId, CancellationToken cancellationToken);
}

/// <summary>Every account in UTC: the zone until accounts have their own.</summary>
public sealed class UtcAccountTimeZones : IAccountTimeZones
{
    public ValueTask<TimeZoneInfo> ForAccountAsync(long accountId, CancellationToken cancellationToken) => ValueTask.FromResult(TimeZoneInfo.Utc);
}
