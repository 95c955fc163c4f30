using Chatport.Api;
using Chatport.Contract;
using Chatport.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Chatport.Sources.Hooks;

/// <summary>
/// <c>POST /hooks/{token}</c>: the receiving end of the seed's POST hook. What the seed's PHP script should have
/// been: every body kept (durably, before the 2xx), duplicates stored once, each refusal a 4xx that says why.
/// </summary>
internal static class HooksApi
{
    public static IHostApplicationBuilder AddHooks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<HookOptions>().BindConfiguration(HookOptions.Section)
            .Validate(o => o.MaxBodyBytes > 0 && o.TimestampTolerance > TimeSpan.Zero, "Chatport:Hooks limits must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<HookIntake>();
        builder.Services.AddSingleton<HookMetrics>();
        return builder;
    }

    public static IEndpointRouteBuilder MapHooks(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/hooks/{token}", ReceiveAsync).WithTags("Inbound hooks").AllowAnonymous()
            .RequireRateLimiting(RateLimits.RateLimitPolicies.Hook) // per source, when Chatport:RateLimits:Hook is set
            .WithSummary("Receive a seed-format conversation (Smartsupp's POST hook, another Chatport, any sender)")
            .WithDescription("Authenticated as the source says (URL token, basic, Standard Webhooks or X-Smartsupp-Hmac). "
                + "200 once stored: {status: created | newVersion | duplicate, accountId, chatId, version}.")
            .Accepts<object>("application/json");
        return endpoints;
    }

    private static async Task<Results<Ok<HookReceipt>, ProblemHttpResult>> ReceiveAsync(
        string token, HttpRequest request, IChatportStore store, HookIntake intake, HookMetrics metrics, TimeProvider time,
        IOptions<HookOptions> options, CancellationToken cancellationToken)
    {
        var source = await store.FindSourceByTokenAsync(token, cancellationToken);
        if (source is null)
        {
            metrics.Refused("unknown-token");
            return ApiProblems.NotFound("There is no inbound hook at this URL.");
        }
        var body = await RequestBody.ReadAsync(request, options.Value.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            metrics.Refused("too-large");
            return ApiProblems.TooLarge(options.Value.MaxBodyBytes);
        }
        if (HookAuthenticator.Check(source, request, body, time.GetUtcNow(), options.Value.TimestampTolerance) is { } refusal)
        {
            metrics.Refused("unauthorized");
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: refusal);
        }
        HookBody conversation;
        try
        {
            conversation = HookBody.Read(body);
        }
        catch (ContractException e)
        {
            metrics.Refused("invalid");
            return ApiProblems.BadRequest($"The body is not a seed-format conversation: {e.Message}",
                new Dictionary<string, object?> { ["path"] = e.Path });
        }
        if (conversation.Head.AccountId is { HasValue: true, Value: var named } && named != source.AccountId)
        {
            // A hook files for its source's account only: a body naming another is a sender pointed at the wrong hook.
            metrics.Refused("invalid");
            return ApiProblems.BadRequest(
                $"The body is for account {named} ($.accountId), but this hook files conversations for account {source.AccountId}; nothing was stored. "
                + $"Send it to a hook of account {named}, or leave accountId out.",
                new Dictionary<string, object?> { ["path"] = "$.accountId" });
        }
        var receipt = await intake.FileAsync(source, conversation, body, HookIntake.MessageIdOf(request));
        metrics.Accepted(receipt.Status);
        return TypedResults.Ok(receipt);
    }
}
