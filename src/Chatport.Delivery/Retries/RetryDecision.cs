namespace Chatport.Delivery.Retries;

/// <summary>What to do after an attempt of a delivery failed, as decided by <see cref="RetryPolicy.AfterFailure"/>.</summary>
/// <param name="Retry">True to make another attempt at <paramref name="NextAttemptAt"/>; false to dead-letter the delivery.</param>
/// <param name="NextAttemptAt">When the next attempt is due; when <paramref name="Retry"/> is false, the time of the decision.</param>
/// <param name="Reason">A short explanation for the delivery log, such as <c>"attempt 3 of 11 in 5s"</c> or <c>"dead-lettered after 11 attempts"</c>.</param>
public readonly record struct RetryDecision(bool Retry, DateTimeOffset NextAttemptAt, string Reason);
