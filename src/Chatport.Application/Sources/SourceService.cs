using System.Security.Cryptography;
using Chatport.Application.Accounts;
using Chatport.Delivery.Destinations;
using Chatport.Delivery.Signing;
using Chatport.Storage;
using Chatport.Storage.Sources;
using Microsoft.Extensions.Options;

namespace Chatport.Application.Sources;

/// <summary>What <see cref="SourceService.CreateAsync"/> made, and whether its secret may be shown (it was made here).</summary>
public sealed record CreatedSource(HookSource Source, bool ShowSecret);

/// <summary>Inbound hooks: each has its own unguessable URL and checks its callers as its auth mode says.</summary>
public sealed class SourceService(IChatportStore store, TimeProvider time, IOptions<LimitsOptions> limits)
{
    /// <summary>The longest name and basic-auth username.</summary>
    public const int MaxNameLength = 200;

    /// <summary>The longest secret a caller may choose.</summary>
    public const int MaxSecretLength = 256;

    public async Task<Result<CreatedSource>> CreateAsync(long accountId, SourceRequest? request, CancellationToken cancellationToken = default)
    {
        if (await store.GetAccountAsync(accountId, cancellationToken) is null)
        {
            return AccountService.NotFound<CreatedSource>(accountId);
        }
        var errors = new Dictionary<string, string[]>();
        if (request?.Kind != "hook")
        {
            errors["kind"] = [request?.Kind is null ? "kind is required: \"hook\"." : $"kind must be \"hook\", not \"{Words.Short(request.Kind)}\"."];
        }
        var auth = request?.Auth ?? HookAuth.Token;
        if (!HookAuth.IsKnown(auth))
        {
            errors["auth"] = [$"auth must be token, basic, standard or smartsupp-hmac; not \"{Words.Short(auth)}\"."];
        }
        CheckText("name", request?.Name, errors);
        CheckText("username", request?.Username, errors);
        if (request?.Username?.Contains(':', StringComparison.Ordinal) == true && !errors.ContainsKey("username"))
        {
            errors["username"] = ["username must not hold a colon (basic auth joins it to the secret with one)."];
        }
        var secret = request?.Secret?.Trim();
        if (secret?.Length > MaxSecretLength)
        {
            errors["secret"] = [$"secret must be at most {MaxSecretLength} characters; it has {secret.Length:N0}."];
        }
        else if (auth == HookAuth.Standard && secret is not null)
        {
            try
            {
                WebhookSecret.Parse(secret);
            }
            catch (FormatException e)
            {
                errors["secret"] = [e.Message];
            }
        }
        else if (secret is { Length: < 16 })
        {
            errors["secret"] = ["secret must be at least 16 characters long (leave it out to have one made)."];
        }
        if (errors.Count > 0)
        {
            return Result<CreatedSource>.Invalid(errors, "The hook was not made; see errors.");
        }
        var max = limits.Value.SourcesPerAccount;
        if ((await store.ListSourcesAsync(accountId, cancellationToken)).Count >= max)
        {
            return Result<CreatedSource>.LimitReached(accountId, "inbound hooks", nameof(LimitsOptions.SourcesPerAccount), max);
        }
        secret ??= auth switch
        {
            HookAuth.Standard => WebhookSecret.Generate().ToString(),
            HookAuth.Basic or HookAuth.SmartsuppHmac => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)),
            _ => null,
        };
        var source = new HookSource(
            "src_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), accountId, request?.Name ?? "inbound hook", auth,
            System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24)),
            auth == HookAuth.Basic ? request?.Username ?? "chatport" : null,
            auth == HookAuth.Token ? null : secret,
            time.GetUtcNow());
        await store.CreateSourceAsync(source, cancellationToken);
        return Result<CreatedSource>.Created(new CreatedSource(source, ShowSecret: request?.Secret is null));
    }

    public Task<IReadOnlyList<HookSource>> ListAsync(long accountId, CancellationToken cancellationToken = default) =>
        store.ListSourcesAsync(accountId, cancellationToken);

    public async Task<Result<HookSource>> GetAsync(long accountId, string id, CancellationToken cancellationToken = default) =>
        await store.GetSourceAsync(accountId, id, cancellationToken) is { } source ? Result<HookSource>.Ok(source) : NotFound<HookSource>(accountId, id);

    public async Task<Result<bool>> DeleteAsync(long accountId, string id, CancellationToken cancellationToken = default) =>
        await store.DeleteSourceAsync(accountId, id, cancellationToken) ? Result<bool>.Ok(true) : NotFound<bool>(accountId, id);

    /// <summary>A name or username: at most <see cref="MaxNameLength"/> characters, on one line.</summary>
    private static void CheckText(string field, string? value, Dictionary<string, string[]> errors)
    {
        if (value?.Length > MaxNameLength)
        {
            errors[field] = [$"{field} must be at most {MaxNameLength} characters; it has {value.Length:N0}."];
        }
        else if (value?.Any(char.IsControl) == true)
        {
            errors[field] = [$"{field} must be one line, without control characters."];
        }
    }

    private static Result<T> NotFound<T>(long accountId, string id) => Result<T>.NotFound($"Account {accountId} has no inbound hook {id}.");
}
