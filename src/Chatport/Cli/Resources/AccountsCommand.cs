using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Chatport.Cli.Remote;
using static Chatport.Cli.Resources.ResourceCommands;

namespace Chatport.Cli.Resources;

/// <summary><c>chatport accounts list|get|create|update</c>: <c>GET /v1/accounts</c>, <c>GET</c> and <c>PUT /v1/accounts/{id}</c>.</summary>
internal static class AccountsCommand
{
    private static readonly string[] Columns = ["accountId", "name", "plan", "inactivityTimeoutSeconds", "timeZone", "createdAt"];

    public static Command Build() => new("accounts", "Accounts: list them (admin), read one, create or change one (admin).")
    {
        List(), Get(), Create(), Update(),
    };

    private static Command List()
    {
        var limit = new Option<int?>("--limit") { Description = "Accounts per page, 1 to 500 (the server's default 50)." }
            .Check(n => n is null or (>= 1 and <= 500), "--limit must be 1 to 500.");
        var after = new Option<string?>("--after") { Description = "Start after this page mark: the previous page's next, as printed." };
        var all = new Option<bool>("--all") { Description = "Every account: follow each page's next to the end (--after, if given, is where it starts)." };
        return Leaf("list", "List accounts by id (admin key). Prints the next page's mark on stderr when there are more; --all reads them all.",
            [limit, after, all], async (parseResult, settings, client, cancellationToken) =>
            {
                var next = parseResult.GetValue(after);
                var size = parseResult.GetValue(limit);
                var everything = parseResult.GetValue(all);
                var items = new List<JsonElement>();
                var documents = new List<JsonDocument>();
                try
                {
                    while (true)
                    {
                        var query = new List<string>();
                        if (size is { } n)
                        {
                            query.Add(string.Create(CultureInfo.InvariantCulture, $"limit={n}"));
                        }
                        if (next is not null)
                        {
                            query.Add("after=" + Uri.EscapeDataString(next));
                        }
                        var answer = await client.GetAsync("/v1/accounts" + (query.Count > 0 ? "?" + string.Join("&", query) : ""), cancellationToken);
                        if (!everything)
                        {
                            var code = await ResourceOutput.ListAsync(settings, answer, Columns, "items");
                            if (code == ExitCodes.Ok && !settings.Json && NextOf(answer) is { } more)
                            {
                                await Console.Error.WriteLineAsync($"More accounts follow: --after {more} (or --all).");
                            }
                            return code;
                        }
                        if (!answer.IsSuccess)
                        {
                            return await ResourceOutput.RefusedAsync(settings, answer);
                        }
                        var page = answer.Json() ?? throw new RemoteException(ExitCodes.Refused, "Chatport answered with no JSON.");
                        documents.Add(page);
                        items.AddRange(page.RootElement.GetProperty("items").EnumerateArray());
                        next = NextOf(answer);
                        if (next is null)
                        {
                            break;
                        }
                    }
                    if (settings.Json)
                    {
                        var merged = new JsonObject
                        {
                            ["items"] = new JsonArray([.. items.Select(i => JsonNode.Parse(i.GetRawText()))]),
                            ["next"] = null,
                        };
                        await ResourceOutput.WriteJsonAsync(Utf8(merged));
                    }
                    else
                    {
                        await ResourceOutput.WriteListAsync(settings, items, Columns);
                    }
                    return ExitCodes.Ok;
                }
                finally
                {
                    documents.ForEach(d => d.Dispose());
                }
            });
    }

    private static string? NextOf(RemoteAnswer answer)
    {
        using var json = answer.Json();
        return json?.RootElement is { ValueKind: JsonValueKind.Object } root && root.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.String
            ? next.GetString()
            : null;
    }

    private static Argument<long> AccountId() => new("ID") { Description = "The account's id (an integer > 0, the chat platform's)." };

    private static Command Get()
    {
        var id = AccountId();
        return Leaf("get", "Show one account.", [id], async (parseResult, settings, client, cancellationToken) =>
            await ResourceOutput.ItemAsync(settings, await client.GetAsync(AccountPath(parseResult.GetValue(id)), cancellationToken)));
    }

    private sealed class AccountOptions
    {
        public Option<string?> Name { get; } = new("--name") { Description = "The display name, 1 to 200 characters." };

        public Option<string?> Plan { get; } = new Option<string?>("--plan") { Description = "free or pro; webhook destinations need pro." }
            .AcceptOnlyFromAmong("free", "pro");

        public Option<int?> Timeout { get; } = new Option<int?>("--inactivity-timeout")
        {
            Description = "Seconds without a new event after which a chat finishes as dropped (10 s to 7 days; the server's default 1800).",
        };

        public Option<string?> TimeZone { get; } = new("--time-zone") { Description = "The IANA zone times are shown in, e.g. Europe/Prague (default UTC)." };

        public Symbol[] All => [Name, Plan, Timeout, TimeZone];
    }

    private static Command Create()
    {
        var id = AccountId();
        var options = new AccountOptions();
        options.Name.Required = true;
        return Leaf("create", "Create an account (admin key); refused when it exists (change it with update).", [id, .. options.All],
            async (parseResult, settings, client, cancellationToken) =>
            {
                var path = AccountPath(parseResult.GetValue(id));
                var existing = await client.GetAsync(path, cancellationToken);
                if (existing.IsSuccess)
                {
                    await Console.Error.WriteLineAsync($"Account {parseResult.GetValue(id)} exists already; change it with `chatport accounts update {parseResult.GetValue(id)}`.");
                    return ExitCodes.Refused;
                }
                var body = new JsonObject
                {
                    ["name"] = parseResult.GetValue(options.Name),
                    ["plan"] = parseResult.GetValue(options.Plan) ?? "free",
                };
                AddOptional(body, parseResult, options);
                var answer = await client.PutJsonAsync(path, Utf8(body), cancellationToken);
                return await ResourceOutput.ItemAsync(settings, answer, answer.Status == HttpStatusCode.Created ? "Created:" : null);
            });
    }

    private static Command Update()
    {
        var id = AccountId();
        var options = new AccountOptions();
        return Leaf("update", "Change an account (admin key): what is given changes, the rest stays as it is.", [id, .. options.All],
            async (parseResult, settings, client, cancellationToken) =>
            {
                if (options.All.OfType<Option>().All(o => parseResult.GetResult(o) is null))
                {
                    throw Usage("Nothing to change: give --name, --plan, --inactivity-timeout or --time-zone.");
                }
                var path = AccountPath(parseResult.GetValue(id));
                var current = await client.GetAsync(path, cancellationToken);
                if (!current.IsSuccess)
                {
                    return await ResourceOutput.RefusedAsync(settings, current);
                }
                using var json = current.Json() ?? throw new RemoteException(ExitCodes.Refused, "Chatport answered with no JSON.");
                var now = json.RootElement;
                var body = new JsonObject
                {
                    ["name"] = parseResult.GetValue(options.Name) ?? now.GetProperty("name").GetString(),
                    ["plan"] = parseResult.GetValue(options.Plan) ?? now.GetProperty("plan").GetString(),
                    ["inactivityTimeoutSeconds"] = now.GetProperty("inactivityTimeoutSeconds").GetInt32(),
                    ["timeZone"] = now.GetProperty("timeZone").GetString(),
                };
                AddOptional(body, parseResult, options);
                return await ResourceOutput.ItemAsync(settings, await client.PutJsonAsync(path, Utf8(body), cancellationToken), "Updated:");
            });
    }

    private static void AddOptional(JsonObject body, ParseResult parseResult, AccountOptions options)
    {
        if (parseResult.GetValue(options.Timeout) is { } seconds)
        {
            body["inactivityTimeoutSeconds"] = seconds;
        }
        if (parseResult.GetValue(options.TimeZone) is { } zone)
        {
            body["timeZone"] = zone;
        }
    }
}
