using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Chatport.Application.Accounts;
using Chatport.Contract;
using Chatport.Redaction;
using Chatport.Delivery;
using Chatport.Delivery.Destinations;
using Chatport.Delivery.Dispatching;
using Chatport.Delivery.Outbox;
using Chatport.Storage;
using Chatport.Storage.Accounts;
using Chatport.Storage.Deliveries;
using Chatport.Storage.Destinations;
using Microsoft.Extensions.Options;

namespace Chatport.Application.Destinations;

/// <summary>
/// Destinations: add one (of any registered kind, gated by the account's plan), change it (re-enable, rotate its
/// secrets), delete it, send it a test, replay its deliveries. A body is flat: the fields every kind takes
/// (<see cref="DestinationChecks.Fields"/>) beside the kind's own, which the kind checks and keeps.
/// </summary>
public sealed class DestinationService(
    IChatportStore store,
    DestinationKinds kinds,
    DestinationCache cache,
    IDeliveryQueue queue,
    TimeProvider time,
    IOptions<DeliveryOptions> options,
    IOptions<LimitsOptions> limits)
{
    public async Task<Result<DestinationModel>> CreateAsync(long accountId, JsonElement? body, CancellationToken cancellationToken = default)
    {
        var account = await store.GetAccountAsync(accountId, cancellationToken);
        if (account is null)
        {
            return AccountService.NotFound<DestinationModel>(accountId);
        }
        if (body is not { ValueKind: JsonValueKind.Object } json)
        {
            return Result<DestinationModel>.Invalid("body", "Send a JSON object: {\"kind\": \"webhook\", \"url\": \"https://…\"}.");
        }
        var errors = new FieldErrors();
        var fields = new DestinationFields(json, errors);
        var kindName = fields.String("kind");
        var kind = kinds.Find(kindName);
        if (kind is null)
        {
            errors.Add("kind", kindName is null ? $"kind is required: {kinds.Listed()}." : $"kind must be {kinds.Listed()}, not \"{Words.Short(kindName)}\".");
            return Result<DestinationModel>.Invalid(errors.ToDictionary(), "The destination was not saved; see errors.");
        }
        DestinationChecks.Bound(json, kind, errors);
        if (errors.Count > 0)
        {
            return Result<DestinationModel>.Invalid(errors.ToDictionary(), "The destination was not saved; see errors.");
        }
        if (UnknownFields(fields, kind, patch: false) is { } unknown)
        {
            return unknown;
        }
        var now = time.GetUtcNow();
        var settings = kind.Configure(fields, null, Context(now), errors);
        var neutral = DestinationChecks.Read(fields, errors);
        if (errors.Count > 0)
        {
            return Result<DestinationModel>.Invalid(errors.ToDictionary(), "The destination was not saved; see errors.");
        }
        if (kind.NeedsPro && account.Plan != AccountPlan.Pro)
        {
            return Result<DestinationModel>.Refused($"{kind.Title} needs the PRO plan",
                $"{kind.Plural} need the account's plan to be pro; account {accountId} is on free. PUT /v1/accounts/{accountId} with \"plan\": \"pro\" first.");
        }
        var max = limits.Value.DestinationsPerAccount;
        if ((await store.ListDestinationsAsync(accountId, cancellationToken)).Count >= max)
        {
            return Result<DestinationModel>.LimitReached(accountId, "destinations", nameof(LimitsOptions.DestinationsPerAccount), max);
        }
        var destination = new Destination(
            "dst_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), accountId, kind.Name, neutral.Name,
            neutral.Enabled ?? true, null, neutral.Kinds ?? [], neutral.TimeoutSeconds ?? kind.DefaultTimeoutSeconds, neutral.RetrySchedule ?? [],
            settings.Config, settings.Secrets, now, now, null, null)
        {
            Redact = neutral.Redact?.Distinct().ToList() ?? [],
            RedactVisitor = neutral.RedactVisitor?.Distinct().ToList() ?? [],
        };
        await store.CreateDestinationAsync(destination, CancellationToken.None);
        return Result<DestinationModel>.Created(Model(destination, kind, showSecrets: true));
    }

    public async Task<IReadOnlyList<DestinationModel>> ListAsync(long accountId, CancellationToken cancellationToken = default) =>
        [.. (await store.ListDestinationsAsync(accountId, cancellationToken)).Select(d => Model(d, Kind(d), showSecrets: false))];

    public async Task<Result<DestinationModel>> GetAsync(long accountId, string id, CancellationToken cancellationToken = default) =>
        await store.GetDestinationAsync(accountId, id, cancellationToken) is { } destination
            ? Result<DestinationModel>.Ok(Model(destination, Kind(destination), showSecrets: false))
            : NotFound<DestinationModel>(accountId, id);

    /// <summary>
    /// Changes what the body holds, nothing else. <c>enabled: true</c> re-enables a disabled destination (its
    /// failure run starts over); the kind decides what its own fields do (a webhook's <c>secret</c> or
    /// <c>rotateSecret</c> rotates its signing secret).
    /// </summary>
    public async Task<Result<DestinationModel>> PatchAsync(long accountId, string id, JsonElement? body, CancellationToken cancellationToken = default)
    {
        var destination = await store.GetDestinationAsync(accountId, id, cancellationToken);
        if (destination is null)
        {
            return NotFound<DestinationModel>(accountId, id);
        }
        if (body is not { ValueKind: JsonValueKind.Object } json)
        {
            return Result<DestinationModel>.Invalid("body", "Send a JSON object with the fields to change.");
        }
        var kind = Kind(destination);
        var errors = new FieldErrors();
        var fields = new DestinationFields(json, errors);
        if (fields.Has("kind"))
        {
            errors.Add("kind", "kind cannot be changed; add a destination of the other kind and delete this one.");
        }
        DestinationChecks.Bound(json, kind, errors);
        if (errors.Count > 0)
        {
            return Result<DestinationModel>.Invalid(errors.ToDictionary(), "Nothing was changed; see errors.");
        }
        if (UnknownFields(fields, kind, patch: true) is { } unknown)
        {
            return unknown;
        }
        var now = time.GetUtcNow();
        var settings = kind.Configure(fields, new KindSettings(destination.Config, destination.Secrets), Context(now), errors);
        var neutral = DestinationChecks.Read(fields, errors);
        if (errors.Count > 0)
        {
            return Result<DestinationModel>.Invalid(errors.ToDictionary(), "Nothing was changed; see errors.");
        }
        var reenabled = neutral.Enabled == true && !destination.Enabled;
        var updated = destination with
        {
            Name = neutral.Name ?? destination.Name,
            Kinds = neutral.Kinds ?? destination.Kinds,
            TimeoutSeconds = neutral.TimeoutSeconds ?? destination.TimeoutSeconds,
            RetrySchedule = neutral.RetrySchedule ?? destination.RetrySchedule,
            Redact = neutral.Redact?.Distinct().ToList() ?? destination.Redact,
            RedactVisitor = neutral.RedactVisitor?.Distinct().ToList() ?? destination.RedactVisitor,
            Config = settings.Config,
            Secrets = settings.Secrets,
            Enabled = neutral.Enabled ?? destination.Enabled,
            DisabledReason = neutral.Enabled == true ? null : neutral.Enabled == false ? "Disabled by a user." : destination.DisabledReason,
            FailingSince = reenabled ? null : destination.FailingSince,
            LastError = reenabled ? null : destination.LastError,
            UpdatedAt = now,
        };
        await store.UpdateDestinationAsync(updated, CancellationToken.None); // a client that leaves does not undo a change under way
        cache.Invalidate(id);
        if (reenabled)
        {
            queue.Wake();
        }
        return Result<DestinationModel>.Ok(Model(updated, kind, showSecrets: settings.Reveal, settings.Revealed));
    }

    /// <summary>Deletes the destination and its pending deliveries (its delivery history stays).</summary>
    public async Task<Result<bool>> DeleteAsync(long accountId, string id, CancellationToken cancellationToken = default)
    {
        if (!await store.DeleteDestinationAsync(accountId, id, CancellationToken.None))
        {
            return NotFound<bool>(accountId, id);
        }
        cache.Invalidate(id);
        return Result<bool>.Ok(true);
    }

    /// <summary>Sends the seed's sample conversation (chat id <see cref="TestConversation.ChatId"/>) once, as a real delivery would go, and reports the answer.</summary>
    public async Task<Result<TestResult>> TestAsync(long accountId, string id, CancellationToken cancellationToken = default)
    {
        var destination = await store.GetDestinationAsync(accountId, id, cancellationToken);
        if (destination is null)
        {
            return NotFound<TestResult>(accountId, id);
        }
        var kind = Kind(destination);
        var now = time.GetUtcNow();
        var work = new DeliveryWork(DeliveryIds.New(now), accountId, id, TestConversation.ChatId, 0, ["completed"], 0, now,
            ConversationRedactor.Apply(TestConversation.For(accountId), destination.Redact, destination.RedactVisitor));
        var outcome = await kind.SendAsync(destination, work, 1, cancellationToken);
        return Result<TestResult>.Ok(new TestResult(outcome.Delivered, outcome.StatusCode, Math.Round(outcome.LatencyMs, 1), outcome.Error,
            outcome.Detail is { } detail ? Encoding.UTF8.GetString(detail) : null, work.Id));
    }

    /// <summary>Queues the destination's deliveries again (same ids), by time range and status.</summary>
    public async Task<Result<ReplayResult>> ReplayAsync(long accountId, string id, ReplayRequest? request, CancellationToken cancellationToken = default)
    {
        if (await store.GetDestinationAsync(accountId, id, cancellationToken) is null)
        {
            return NotFound<ReplayResult>(accountId, id);
        }
        if (request?.Status is { } status && !DeliveryStatus.IsKnown(status))
        {
            return Result<ReplayResult>.Invalid("status", $"status must be pending, succeeded or failed; not \"{status}\".");
        }
        var replayed = await store.ReplayDestinationAsync(
            accountId, id, new ReplayFilter(request?.Since, request?.Until, request?.Status), time.GetUtcNow(), CancellationToken.None);
        queue.Wake();
        return Result<ReplayResult>.Ok(new ReplayResult(replayed));
    }

    private DestinationContext Context(DateTimeOffset now) => new(now, options.Value.AllowPrivateTargets);

    private IDestinationKind Kind(Destination destination) => kinds.Find(destination.Kind) ?? new MissingKind(destination.Kind);

    /// <param name="revealed">Which secret fields a change just set (<see cref="KindSettings.Revealed"/>); null: all of them.</param>
    private static DestinationModel Model(Destination destination, IDestinationKind kind, bool showSecrets, IReadOnlyCollection<string>? revealed = null) =>
        new(destination, kind.Describe(new KindSettings(destination.Config, destination.Secrets) { Revealed = revealed }, showSecrets), showSecrets);

    private static Result<DestinationModel>? UnknownFields(DestinationFields fields, IDestinationKind kind, bool patch)
    {
        var unknown = DestinationChecks.Unknown(fields, kind, patch).Where(f => !(patch && f == "kind")).ToList();
        if (unknown.Count == 0)
        {
            return null;
        }
        var accepted = DestinationChecks.Accepted(kind, patch).ToList();
        return Result<DestinationModel>.Invalid(unknown.ToDictionary(f => f, f => new[] { JsonErrors.UnknownField(f, accepted) }),
            patch ? "Nothing was changed; see errors." : "The destination was not saved; see errors.");
    }

    private static Result<T> NotFound<T>(long accountId, string id) => Result<T>.NotFound($"Account {accountId} has no destination {id}.");
}
