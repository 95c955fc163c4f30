using Chatport.Delivery.Destinations;
using Chatport.Redaction;
using Chatport.Delivery.Retries;
using Chatport.Delivery.Telemetry;
using Chatport.Storage.Deliveries;
using Chatport.Storage.Destinations;
using Microsoft.Extensions.Options;

namespace Chatport.Delivery.Dispatching;

/// <summary>
/// Sends one delivery through its destination's kind and decides what follows each attempt (docs/architecture.md,
/// "Delivery rules"): delivered succeeds; gone disables the destination; failed is the dead letter at once; retry
/// follows the destination's schedule (with jitter, not before the time the far side asked for), an immediate
/// retry in place, dead letter when the schedule is spent, and disable a destination failing for 5 days.
/// </summary>
public sealed partial class DeliveryProcessor(
    DestinationCache destinations,
    DestinationKinds kinds,
    AttemptRecorder recorder,
    DeliveryMetrics metrics,
    IJitter jitter,
    TimeProvider time,
    IOptions<DeliveryOptions> options,
    ILogger<DeliveryProcessor> logger)
{
    /// <summary>Sends the delivery until this round ends; true when its last result was handed to the recorder.</summary>
    /// <param name="stopping">The node is stopping: the attempt under way finishes, but no retry follows in place.</param>
    /// <param name="cancellationToken">Cancels the attempt in flight (a stop that ran out of time).</param>
    public async Task<bool> ProcessAsync(DeliveryWork delivery, CancellationToken stopping, CancellationToken cancellationToken)
    {
        var attempts = delivery.Attempts;
        while (!cancellationToken.IsCancellationRequested)
        {
            var destination = await destinations.GetAsync(delivery.DestinationId, cancellationToken);
            if (destination is null || !destination.Enabled || kinds.Find(destination.Kind) is not { } kind)
            {
                // Deleted or disabled meanwhile: the delivery stays pending in the store (replayable once re-enabled).
                return false;
            }
            attempts++;
            await recorder.WaitForRoomAsync(cancellationToken);
            var outcome = await kind.SendAsync(destination, Redacted(delivery, destination), attempts, cancellationToken);
            var now = time.GetUtcNow();
            if (outcome.Delivered)
            {
                Record(delivery, attempts, now, outcome, DeliveryStatus.Succeeded, null, null);
                metrics.Attempt("succeeded", delivery.DestinationId, outcome.LatencyMs);
                metrics.Finished(DeliveryStatus.Succeeded);
                return true;
            }
            // "rejected": the far side answered and said no; "error": no answer (timeout, refused, blocked).
            metrics.Attempt(outcome.StatusCode is null && outcome.Detail is null ? "error" : "rejected", delivery.DestinationId, outcome.LatencyMs);
            LogAttemptFailed(logger, delivery.Id, delivery.DestinationId, attempts, outcome.StatusCode, outcome.Error);
            if (outcome.Result == SendResult.Gone)
            {
                var gone = outcome.GoneReason ?? outcome.Error ?? "The far side asks not to be called again.";
                Record(delivery, attempts, now, outcome, DeliveryStatus.Failed, null, gone);
                LogDisabled(logger, destination.Id, destination.AccountId, gone);
                metrics.Finished(DeliveryStatus.Failed);
                return true;
            }
            if (outcome.Result == SendResult.Failed)
            {
                Record(delivery, attempts, now, outcome, DeliveryStatus.Failed, null, null);
                metrics.Finished(DeliveryStatus.Failed);
                LogDeadLettered(logger, delivery.Id, delivery.DestinationId, attempts);
                return true;
            }
            var decision = RetryPolicy.AfterFailure(DestinationSchedule.Of(destination), attempts, now, jitter, outcome.NotBefore);
            var disable = FailureWindow.ShouldDisable(destination.FailingSince ?? now, destination.LastSuccessAt, now, options.Value.DisableAfterFailingFor)
                ? $"No successful delivery for {options.Value.DisableAfterFailingFor.TotalDays:0.#} days."
                : null;
            if (!decision.Retry || disable is not null)
            {
                Record(delivery, attempts, now, outcome, disable is null ? DeliveryStatus.Failed : DeliveryStatus.Pending,
                    disable is null ? null : now, disable);
                if (disable is null)
                {
                    metrics.Finished(DeliveryStatus.Failed);
                    LogDeadLettered(logger, delivery.Id, delivery.DestinationId, attempts);
                }
                else
                {
                    LogDisabled(logger, destination.Id, destination.AccountId, disable);
                }
                return true;
            }
            if (decision.NextAttemptAt > now)
            {
                Record(delivery, attempts, now, outcome, DeliveryStatus.Pending, decision.NextAttemptAt, null);
                return true;
            }
            if (stopping.IsCancellationRequested)
            {
                // No retry in place while stopping: due now, for another node or the next start.
                Record(delivery, attempts, now, outcome, DeliveryStatus.Pending, now, null);
                return true;
            }
            // An immediate retry happens here; the store is told "not before the lease ends" meanwhile, so no
            // poller takes it while this attempt runs.
            Record(delivery, attempts, now, outcome, DeliveryStatus.Pending, now + options.Value.LeaseDuration, null, last: false);
        }
        return false;
    }

    /// <summary>The delivery as this destination may see it: its redaction applied (a webhook then signs what it sends).</summary>
    private static DeliveryWork Redacted(DeliveryWork delivery, Destination destination) =>
        destination.Redact.Count == 0 && destination.RedactVisitor.Count == 0
            ? delivery
            : delivery with { Body = ConversationRedactor.Apply(delivery.Body, destination.Redact, destination.RedactVisitor) };

    [LoggerMessage(101, LogLevel.Debug, "Delivery {DeliveryId} to {DestinationId}: attempt {Attempt} failed ({StatusCode}): {Error}")]
    private static partial void LogAttemptFailed(ILogger logger, string deliveryId, string destinationId, int attempt, int? statusCode, string? error);

    [LoggerMessage(102, LogLevel.Warning, "Destination {DestinationId} of account {AccountId} is disabled: {Reason}")]
    private static partial void LogDisabled(ILogger logger, string destinationId, long accountId, string reason);

    [LoggerMessage(103, LogLevel.Warning, "Delivery {DeliveryId} to {DestinationId} is dead-lettered after {Attempts} attempts.")]
    private static partial void LogDeadLettered(ILogger logger, string deliveryId, string destinationId, int attempts);

    private void Record(DeliveryWork delivery, int attempt, DateTimeOffset now, SendOutcome outcome, string status, DateTimeOffset? next, string? disable, bool last = true) =>
        recorder.Record(new AttemptResult(
            delivery.Id, delivery.DestinationId, attempt, now, outcome.StatusCode, outcome.LatencyMs, outcome.Error, outcome.Detail,
            status, status == DeliveryStatus.Pending ? next : null, disable), last);
}
