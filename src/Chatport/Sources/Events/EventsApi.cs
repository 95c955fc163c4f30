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
        var body = await RequestBody.ReadAsync(request, limits.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return ApiProblems.TooLarge(limits.MaxBodyBytes);
        }
        var (events, errors) = EventBatchReader.Read(body, EventBatchReader.IsNdjson(request.ContentType));
        if (errors.Count > 0)
        {
            return ApiProblems.BadRequest(
                $"{errors.Count} event(s) are not valid; nothing was stored. First: {errors[0].Error}",
                new Dictionary<string, object?> { ["errors"] = errors });
        }
        if (events.Count > limits.MaxEventsPerRequest)
        {
            return ApiProblems.BadRequest($"{events.Count} events in one request; the limit is {limits.MaxEventsPerRequest}. Nothing was stored.");
        }

        var foreign = user.IsAdmin() ? [] : events.Where(e => e.Event.AccountId != user.AccountId())
            .Select(e => new EventError(e.Index, e.Event.Id, $"The event is for account {e.Event.AccountId}."))
            .ToList();
        if (foreign.Count > 0)
        {
            var wanted = events.First(e => e.Event.AccountId != user.AccountId()).Event.AccountId;
            return AccountScopeFilter.Forbidden(user.AccountId(), wanted, new Dictionary<string, object?> { ["errors"] = foreign });
        }

        var result = await ingestor.IngestAsync(events);
        if (result.Accepted == 0 && result.Duplicates == 0)
        {
            return ApiProblems.Unprocessable(
                $"None of the {result.Rejected} event(s) was accepted. First: {result.Errors[0].Error}",
                new Dictionary<string, object?> { ["errors"] = result.Errors });
        }
        return TypedResults.Accepted((string?)null, result);
    }
}
