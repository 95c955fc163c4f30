using System.Security.Claims;
using Chatport.Api;
using Chatport.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Chatport.Sources.Events;

/// <summary><c>POST /v1/events</c>: live chat events in (a JSON array, one object, or NDJSON).</summary>
internal static class EventsApi
{
    public static IHostApplicationBuilder AddEventsApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EventsOptions>().BindConfiguration(EventsOptions.Section)
            .Validate(o => o.MaxBodyBytes > 0 && o.MaxEventsPerRequest > 0, "Chatport:Events limits must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<EventIngestor>();
        return builder;
    }

    public static RouteGroupBuilder MapEvents(this RouteGroupBuilder v1)
    {
        v1.MapPost("/events", PostAsync)
            .WithTags("Events")
            .WithSummary("Send live chat events")
            .WithDescription("A JSON array of events (or NDJSON as application/x-ndjson). Answers 202 once the events are durable. "
                + "An invalid event makes the whole request a 400 and nothing is stored; events refused by a chat's state "
                + "(a message for a finished chat, an unknown account) are listed in errors.")
            .Accepts<object>("application/json", "application/x-ndjson")
            .DisableAntiforgery();
        return v1;
    }

    private static async Task<Results<Accepted<EventBatchResult>, ProblemHttpResult>> PostAsync(
        HttpRequest request, ClaimsPrincipal user, EventIngestor ingestor, IOptions<EventsOptions> options, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        // Each event's bytes are copied out of the body as it is read, so the body is a pooled buffer, not a fresh
        // array per request (for NDJSON of thousands of events, one on the large-object heap each time).
        EventBatch batch;
        using (var body = await RequestBody.ReadPooledAsync(request, limits.MaxBodyBytes, cancellationToken))
        {
            if (body is null)
            {
                return ApiProblems.TooLarge(limits.MaxBodyBytes);
            }
            batch = EventBatchReader.Read(body.Memory, EventBatchReader.IsNdjson(request.ContentType), limits.MaxEventsPerRequest);
        }
        if (batch.TooMany)
        {
            return ApiProblems.TooManyItems(batch.Count, "events", limits.MaxEventsPerRequest, $"{EventsOptions.Section}:{nameof(EventsOptions.MaxEventsPerRequest)}");
        }
        var errors = batch.Errors;
        if (errors.Count > 0)
        {
            return ApiProblems.BadRequest(
                $"{errors.Count} event(s) are not valid{errors.Listed}; nothing was stored. First: {errors.First[0].Error}",
                errors.Extensions());
        }
        var events = batch.Events;

        if (!user.IsAdmin() && events.FirstOrDefault(e => e.Event.AccountId != user.AccountId()) is { } first)
        {
            var foreign = new ErrorList<EventError>();
            foreach (var e in events)
            {
                if (e.Event.AccountId == user.AccountId())
                {
                    continue;
                }
                if (foreign.IsFull)
                {
                    foreign.Skip();
                }
                else
                {
                    foreign.Add(new EventError(e.Index, e.Event.Id, $"The event is for account {e.Event.AccountId}."));
                }
            }
            return AccountScopeFilter.Forbidden(user.AccountId(), first.Event.AccountId, foreign.Extensions());
        }

        var result = await ingestor.IngestAsync(events);
        if (result.Accepted == 0 && result.Duplicates == 0)
        {
            return ApiProblems.Unprocessable(
                $"None of the {result.Rejected} event(s) was accepted{(result.Rejected > result.Errors.Count ? $" (the first {result.Errors.Count} are listed in errors)" : "")}. First: {result.Errors[0].Error}",
                new Dictionary<string, object?> { ["errors"] = result.Errors, ["errorCount"] = result.Rejected });
        }
        return TypedResults.Accepted((string?)null, result);
    }
}
