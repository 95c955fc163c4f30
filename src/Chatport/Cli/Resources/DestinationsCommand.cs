using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Chatport.Cli.Remote;
using static Chatport.Cli.Resources.ResourceCommands;

namespace Chatport.Cli.Resources;

/// <summary>
/// <c>chatport destinations list|get|create|update|delete|test</c> on <c>/v1/accounts/{id}/destinations</c>. A body is
/// the API's flat object; <c>--body FILE|-</c> gives it whole, and the options set fields over it.
/// </summary>
internal static class DestinationsCommand
{
    private static readonly string[] Columns = ["id", "kind", "name", "enabled", "kinds", "url", "lastSuccessAt", "failingSince", "lastError"];

    public static Command Build() => new("destinations", "Where an account's finished conversations go: webhooks and the other kinds.")
    {
        List(), Get(), Create(), Update(), Delete(), Test(),
    };

    private static Command List()
    {
        var account = AccountOption();
        return Leaf("list", "List the account's destinations.", [account], async (parseResult, settings, client, cancellationToken) =>
            await ResourceOutput.ListAsync(settings, await client.GetAsync(AccountPath(parseResult.GetValue(account), "destinations"), cancellationToken), Columns));
    }

    private static Command Get()
    {
        var account = AccountOption();
        var id = IdArgument("destination");
        return Leaf("get", "Show one destination (secrets masked).", [account, id], async (parseResult, settings, client, cancellationToken) =>
            await ResourceOutput.ItemAsync(settings, await client.GetAsync(Path(parseResult, account, id), cancellationToken)));
    }

    private sealed class BodyOptions
    {
        public Option<string?> Name { get; } = new("--name") { Description = "A name to know it by (up to 200 characters)." };

        public Option<string?> Kinds { get; } = new("--kinds")
        {
            Description = "Which conversations it gets, comma-separated: completed, missed, offline, dropped (default: all).",
        };

        public Option<string[]> Fields { get; } = new Option<string[]>("--field")
        {
            Description = "A field of the body, repeatable: key=value sets a string; key:=JSON sets any JSON value "
                + "(--field timeoutSeconds:=10, --field 'headers:={\"Authorization\":\"Bearer x\"}').",
        }.Check(fields => fields.All(f => FieldName(f).Length > 0), "--field must be key=value or key:=JSON, with a key.");

        public Option<string?> Body { get; } = new("--body")
        {
            Description = "A JSON object with the body's fields, from a file or - for stdin; the other options set fields over it.",
        };
    }

    private static Command Create()
    {
        var account = AccountOption();
        var kind = new Option<string?>("--kind") { Description = "The destination's kind: webhook, http, email, file, sql (or kind in --body)." };
        var target = new Option<string?>("--target")
        {
            Description = "Where a webhook (or http) destination sends: its URL (the body's url; --url is the Chatport server's).",
        };
        var options = new BodyOptions();
        return Leaf("create", "Add a destination. A webhook needs the pro plan and --target URL; its signing secret is printed once. "
            + "Other kinds' fields go in --field or --body.",
            [account, kind, target, options.Name, options.Kinds, options.Fields, options.Body],
            async (parseResult, settings, client, cancellationToken) =>
            {
                var body = await BodyAsync(parseResult, options, cancellationToken);
                if (parseResult.GetValue(kind) is { } k)
                {
                    body["kind"] = k;
                }
                if (parseResult.GetValue(target) is { } url)
                {
                    body["url"] = url;
                }
                if (!body.ContainsKey("kind"))
                {
                    throw Usage("Give the destination's --kind (webhook, http, …) or a kind in --body.");
                }
                var answer = await client.PostJsonAsync(AccountPath(parseResult.GetValue(account), "destinations"), Utf8(body), cancellationToken);
                return await ResourceOutput.ItemAsync(settings, answer, "Created:");
            });
    }

    private static Command Update()
    {
        var account = AccountOption();
        var id = IdArgument("destination");
        var enabled = new Option<bool?>("--enabled") { Description = "true to enable it (a destination disabled after failing resumes), false to pause it." };
        var rotate = new Option<bool>("--rotate-secret")
        {
            Description = "Make a new signing secret (printed once); the previous one keeps signing beside it for 24 hours.",
        };
        var target = new Option<string?>("--target") { Description = "A new URL to send to (the body's url)." };
        var options = new BodyOptions();
        return Leaf("update", "Change a destination: only the fields given change (a PATCH).",
            [account, id, enabled, rotate, target, options.Name, options.Kinds, options.Fields, options.Body],
            async (parseResult, settings, client, cancellationToken) =>
            {
                var body = await BodyAsync(parseResult, options, cancellationToken);
                if (parseResult.GetValue(enabled) is { } on)
                {
                    body["enabled"] = on;
                }
                if (parseResult.GetValue(rotate))
                {
                    body["rotateSecret"] = true;
                }
                if (parseResult.GetValue(target) is { } url)
                {
                    body["url"] = url;
                }
                if (body.Count == 0)
                {
                    throw Usage("Nothing to change: give --enabled, --rotate-secret, --target, --name, --kinds, --field or --body.");
                }
                return await ResourceOutput.ItemAsync(settings, await client.PatchJsonAsync(Path(parseResult, account, id), Utf8(body), cancellationToken), "Updated:");
            });
    }

    private static Command Delete()
    {
        var account = AccountOption();
        var id = IdArgument("destination");
        return Leaf("delete", "Delete a destination and its pending deliveries.", [account, id], async (parseResult, settings, client, cancellationToken) =>
            await ResourceOutput.DoneAsync(settings, await client.DeleteAsync(Path(parseResult, account, id), cancellationToken),
                $"Deleted destination {parseResult.GetValue(id)}."));
    }

    private static Command Test()
    {
        var account = AccountOption();
        var id = IdArgument("destination");
        return Leaf("test", "Send a test conversation now and print the answer: status, latency, error, response. Exits 1 when it was not delivered.",
            [account, id], async (parseResult, settings, client, cancellationToken) =>
            {
                var answer = await client.PostJsonAsync(Path(parseResult, account, id) + "/test", "{}"u8.ToArray(), cancellationToken);
                if (!answer.IsSuccess)
                {
                    return await ResourceOutput.RefusedAsync(settings, answer);
                }
                using var json = answer.Json() ?? throw new RemoteException(ExitCodes.Refused, "Chatport answered with no JSON.");
                var delivered = json.RootElement.TryGetProperty("succeeded", out var succeeded) && succeeded.ValueKind == JsonValueKind.True;
                await ResourceOutput.WriteItemAsync(settings, answer.Body, json.RootElement, delivered ? "Delivered:" : "Not delivered:");
                if (!delivered && !settings.Json)
                {
                    await Console.Error.WriteLineAsync("The test was not delivered.");
                }
                return delivered ? ExitCodes.Ok : ExitCodes.Refused;
            });
    }

    private static string Path(ParseResult parseResult, Option<long> account, Argument<string> id) =>
        AccountPath(parseResult.GetValue(account), "destinations", parseResult.GetValue(id)!);

    /// <summary><c>--body</c>'s object (or an empty one), then <c>--name</c>, <c>--kinds</c> and each <c>--field</c> over it.</summary>
    private static async Task<JsonObject> BodyAsync(ParseResult parseResult, BodyOptions options, CancellationToken cancellationToken)
    {
        var body = new JsonObject();
        if (parseResult.GetValue(options.Body) is { } source)
        {
            string text;
            try
            {
                text = source == "-" ? await Console.In.ReadToEndAsync(cancellationToken) : await File.ReadAllTextAsync(source, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw Usage($"--body {source} cannot be read: {e.Message}");
            }
            try
            {
                body = JsonNode.Parse(text) as JsonObject ?? throw Usage($"--body {source} must hold a JSON object {{…}}.");
            }
            catch (JsonException e)
            {
                throw Usage($"--body {source} is not JSON: {e.Message}");
            }
        }
        if (parseResult.GetValue(options.Name) is { } name)
        {
            body["name"] = name;
        }
        if (parseResult.GetValue(options.Kinds) is { } kinds)
        {
            body["kinds"] = new JsonArray([.. kinds.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(k => (JsonNode?)k)]);
        }
        foreach (var field in parseResult.GetValue(options.Fields) ?? [])
        {
            var key = FieldName(field);
            var equals = field.IndexOf('=', StringComparison.Ordinal);
            var value = field[(equals + 1)..];
            if (field[equals - 1] == ':')
            {
                try
                {
                    body[key] = JsonNode.Parse(value);
                }
                catch (JsonException e)
                {
                    throw Usage($"--field {key}:= must be followed by JSON: {e.Message}");
                }
            }
            else
            {
                body[key] = value;
            }
        }
        return body;
    }

    /// <summary>A <c>--field</c>'s key: before <c>=</c> (or <c>:=</c>); empty when there is none.</summary>
    private static string FieldName(string field)
    {
        var equals = field.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            return "";
        }
        return (field[equals - 1] == ':' ? field[..(equals - 1)] : field[..equals]).Trim();
    }
}
