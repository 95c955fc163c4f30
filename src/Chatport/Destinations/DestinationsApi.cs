using System.Security.Cryptography;
using System.Text;
using Chatport.Api;
using Chatport.Delivery;
using Chatport.Delivery.Destinations.Webhook;
using Chatport.Delivery.Dispatching;
using Chatport.Delivery.Outbox;
using Chatport.Delivery.Signing;
using Chatport.Storage;
using Chatport.Storage.Accounts;
using Chatport.Storage.Deliveries;
using Chatport.Storage.Destinations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Chatport.Destinations;

/// <summary>
/// <c>/v1/accounts/{accountId}/destinations</c>: self-service activation of the POST hook (the seed asked
/// customers to email support), with a test button and replay.
/// </summary>
internal static class DestinationsApi
{
    public static RouteGroupBuilder MapDestinations(this RouteGroupBuilder account)
    {
        var destinations = account.MapGroup("/destinations").WithTags("Destinations");
        destinations.MapPost("/", CreateAsync).WithSummary("Add a destination")
            .WithDescription("kind webhook: {url, secret?, kinds?, timeoutSeconds?, retrySchedule?, headers?}. Needs the account's plan to be pro. "
                + "The signing secret is in the answer once.");
        destinations.MapGet("/", ListAsync).WithSummary("List the account's destinations");
        destinations.MapGet("/{id}", GetAsync).WithSummary("Read a destination");
        destinations.MapPatch("/{id}", PatchAsync).WithSummary("Change a destination (re-enable, rotate its secret, …)");
        destinations.MapDelete("/{id}", DeleteAsync).WithSummary("Delete a destination and its pending deliveries");
        destinations.MapPost("/{id}/test", TestAsync).WithSummary("Send a signed test conversation and report the answer");
        destinations.MapPost("/{id}/replay", ReplayAsync).WithSummary("Send a destination's deliveries again (by time range and status)");
        return account;
    }

    private static async Task<Results<Created<DestinationResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        long accountId, DestinationRequest? request, IChatportStore store, TimeProvider time, IOptions<DeliveryOptions> options,
        CancellationToken cancellationToken)
    {
        var account = await store.GetAccountAsync(accountId, cancellationToken);
        if (account is null)
        {
            return ApiProblems.NotFound($"There is no account {accountId}.");
        }
        if (request is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["Send a JSON object: {\"kind\": \"webhook\", \"url\": \"https://…\"}."] });
        }
        var errors = new Dictionary<string, string[]>();
        if (request.Kind != WebhookConfig.Kind)
        {
            errors["kind"] = [request.Kind is null ? "kind is required: \"webhook\"." : $"kind must be \"webhook\", not \"{request.Kind}\"."];
        }
        WebhookSettings.CheckUrl(request.Url, options.Value.AllowPrivateTargets, errors);
        WebhookSettings.CheckSecret(request.Secret, errors);
        WebhookSettings.CheckKinds(request.Kinds, errors);
        WebhookSettings.CheckTimeout(request.TimeoutSeconds, errors);
        WebhookSettings.CheckSchedule(request.RetrySchedule, errors);
        WebhookSettings.CheckHeaders(request.Headers, errors);
        if (request.Name?.Length > 200)
        {
            errors["name"] = ["name must be at most 200 characters."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: "The destination was not saved; see errors.");
        }
        if (account.Plan != AccountPlan.Pro)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "The POST hook needs the PRO plan",
                detail: $"Webhook destinations need the account's plan to be pro; account {accountId} is on free. PUT /v1/accounts/{accountId} with \"plan\": \"pro\" first.");
        }
        var now = time.GetUtcNow();
        var config = new WebhookConfig(request.Url!, request.TimeoutSeconds ?? WebhookConfig.DefaultTimeoutSeconds, request.Headers, request.RetrySchedule);
        var destination = new Destination(
            "dst_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), accountId, WebhookConfig.Kind, request.Name,
            request.Enabled ?? true, null, request.Kinds ?? [], WebhookConfigJson.Serialize(config),
            request.Secret?.Trim() ?? WebhookSecret.Generate().ToString(), null, null, now, now, null, null);
        await store.CreateDestinationAsync(destination, cancellationToken);
        return TypedResults.Created($"/v1/accounts/{accountId}/destinations/{destination.Id}", DestinationResponse.From(destination, showSecret: true));
    }

    private static async Task<Ok<List<DestinationResponse>>> ListAsync(long accountId, IChatportStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.ListDestinationsAsync(accountId, cancellationToken)).Select(d => DestinationResponse.From(d)).ToList());

    private static async Task<Results<Ok<DestinationResponse>, ProblemHttpResult>> GetAsync(
        long accountId, string id, IChatportStore store, CancellationToken cancellationToken) =>
        await store.GetDestinationAsync(accountId, id, cancellationToken) is { } destination
            ? TypedResults.Ok(DestinationResponse.From(destination))
            : NotFound(accountId, id);

    private static async Task<Results<Ok<DestinationResponse>, ValidationProblem, ProblemHttpResult>> PatchAsync(
        long accountId, string id, DestinationPatch? patch, IChatportStore store, DestinationCache cache, IDeliveryQueue queue,
        TimeProvider time, IOptions<DeliveryOptions> options, CancellationToken cancellationToken)
    {
        var destination = await store.GetDestinationAsync(accountId, id, cancellationToken);
        if (destination is null)
        {
            return NotFound(accountId, id);
        }
        if (patch is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["Send a JSON object with the fields to change."] });
        }
        var errors = new Dictionary<string, string[]>();
        if (patch.Url is not null)
        {
            WebhookSettings.CheckUrl(patch.Url, options.Value.AllowPrivateTargets, errors);
        }
        WebhookSettings.CheckSecret(patch.Secret, errors);
        WebhookSettings.CheckKinds(patch.Kinds, errors);
        WebhookSettings.CheckTimeout(patch.TimeoutSeconds, errors);
        WebhookSettings.CheckSchedule(patch.RetrySchedule, errors);
        WebhookSettings.CheckHeaders(patch.Headers, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: "Nothing was changed; see errors.");
        }
        var now = time.GetUtcNow();
        var config = WebhookConfigJson.Deserialize(destination.Config);
        config = config with
        {
            Url = patch.Url ?? config.Url,
            TimeoutSeconds = patch.TimeoutSeconds ?? config.TimeoutSeconds,
            Headers = patch.Headers ?? config.Headers,
            RetrySchedule = patch.RetrySchedule ?? config.RetrySchedule,
        };
        var rotate = patch.Secret is not null || patch.RotateSecret == true;
        var reenabled = patch.Enabled == true && !destination.Enabled;
        var updated = destination with
        {
            Name = patch.Name ?? destination.Name,
            Kinds = patch.Kinds ?? destination.Kinds,
            Config = WebhookConfigJson.Serialize(config),
            Enabled = patch.Enabled ?? destination.Enabled,
            DisabledReason = patch.Enabled == true ? null : patch.Enabled == false ? "Disabled by a user." : destination.DisabledReason,
            FailingSince = reenabled ? null : destination.FailingSince,
            Secret = rotate ? patch.Secret?.Trim() ?? WebhookSecret.Generate().ToString() : destination.Secret,
            PreviousSecret = rotate ? destination.Secret : destination.PreviousSecret,
            PreviousSecretExpiresAt = rotate ? now.AddHours(24) : destination.PreviousSecretExpiresAt,
            UpdatedAt = now,
        };
        await store.UpdateDestinationAsync(updated, cancellationToken);
        cache.Invalidate(id);
        if (reenabled)
        {
            queue.Wake();
        }
        return TypedResults.Ok(DestinationResponse.From(updated, showSecret: rotate));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        long accountId, string id, IChatportStore store, DestinationCache cache, CancellationToken cancellationToken)
    {
        if (!await store.DeleteDestinationAsync(accountId, id, cancellationToken))
        {
            return NotFound(accountId, id);
        }
        cache.Invalidate(id);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<TestResult>, ProblemHttpResult>> TestAsync(
        long accountId, string id, IChatportStore store, IEnumerable<IDestinationSender> senders, TimeProvider time, CancellationToken cancellationToken)
    {
        var destination = await store.GetDestinationAsync(accountId, id, cancellationToken);
        if (destination is null)
        {
            return NotFound(accountId, id);
        }
        var sender = senders.First(s => s.Kind == destination.Kind);
        var now = time.GetUtcNow();
        var work = new DeliveryWork(DeliveryIds.New(now), accountId, id, TestConversation.ChatId, 0, ["completed"], 0, now, TestConversation.For(accountId));
        var outcome = await sender.SendAsync(destination, work, 1, cancellationToken);
        return TypedResults.Ok(new TestResult(outcome.Succeeded, outcome.StatusCode, Math.Round(outcome.LatencyMs, 1), outcome.Error,
            outcome.Response is { } response ? Encoding.UTF8.GetString(response) : null, work.Id));
    }

    private static async Task<Results<Ok<ReplayResult>, ValidationProblem, ProblemHttpResult>> ReplayAsync(
        long accountId, string id, ReplayRequest? request, IChatportStore store, IDeliveryQueue queue, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await store.GetDestinationAsync(accountId, id, cancellationToken) is null)
        {
            return NotFound(accountId, id);
        }
        if (request?.Status is { } status && !DeliveryStatus.IsKnown(status))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = [$"status must be pending, succeeded or failed; not \"{status}\"."] });
        }
        var replayed = await store.ReplayDestinationAsync(accountId, id, new ReplayFilter(request?.Since, request?.Until, request?.Status), time.GetUtcNow(), cancellationToken);
        queue.Wake();
        return TypedResults.Ok(new ReplayResult(replayed));
    }

    private static ProblemHttpResult NotFound(long accountId, string id) => ApiProblems.NotFound($"Account {accountId} has no destination {id}.");
}
