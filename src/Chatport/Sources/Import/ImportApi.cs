using System.Security.Claims;
using Chatport.Api;
using Chatport.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Chatport.Sources.Import;

/// <summary><c>POST /v1/conversations</c>: import (backfill) whole seed-format conversations.</summary>
internal static class ImportApi
{
    public static IHostApplicationBuilder AddImportApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ImportOptions>().BindConfiguration(ImportOptions.Section)
            .Validate(o => o.MaxBodyBytes > 0 && o.MaxConversationsPerRequest > 0, "Chatport:Import limits must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<ConversationImporter>();
        return builder;
    }

    public static RouteGroupBuilder MapImport(this RouteGroupBuilder v1)
    {
        v1.MapPost("/conversations", PostAsync)
            .WithTags("Conversations")
            .WithSummary("Import finished conversations")
            .WithDescription("One seed-format conversation or an array of them, each with its accountId. Each is stored exactly as sent, "
                + "as a new version of its (accountId, channel.id) unless it equals the latest. All or nothing: any invalid one is a 400.")
            .Accepts<object>("application/json");
        return v1;
    }

    private static async Task<Results<Ok<ImportResult>, ProblemHttpResult>> PostAsync(
        HttpRequest request, ClaimsPrincipal user, ConversationImporter importer, IOptions<ImportOptions> options, CancellationToken cancellationToken)
    {
        using var body = await RequestBody.ReadPooledAsync(request, options.Value.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return ApiProblems.TooLarge(options.Value.MaxBodyBytes);
        }
        // The reader copies each conversation out of the body, which goes back to the pool when this request ends.
        var limits = options.Value;
        var batch = ImportReader.Read(body.Memory, limits.MaxConversationsPerRequest);
        if (batch.TooMany)
        {
            return ApiProblems.TooManyItems(batch.Count, "conversations", limits.MaxConversationsPerRequest,
                $"{ImportOptions.Section}:{nameof(ImportOptions.MaxConversationsPerRequest)}");
        }
        var (items, errors) = (batch.Items, batch.Errors);
        if (errors.Count == 0 && !user.IsAdmin() && items.FirstOrDefault(i => i.AccountId != user.AccountId()) is { } foreign)
        {
            return AccountScopeFilter.Forbidden(user.AccountId(), foreign.AccountId);
        }
        if (errors.Count == 0)
        {
            (var result, errors) = await importer.ImportAsync(items);
            if (result is not null)
            {
                return TypedResults.Ok(result);
            }
        }
        return ApiProblems.BadRequest(
            $"{errors.Count} conversation(s) are not valid{errors.Listed}; nothing was stored. First: {errors.First[0].Error}",
            errors.Extensions());
    }
}
