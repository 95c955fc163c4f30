using System.CommandLine;
using System.Text.Json.Nodes;
using static Chatport.Cli.Resources.ResourceCommands;

namespace Chatport.Cli.Resources;

/// <summary><c>chatport sources list|get|create|delete</c> on <c>/v1/accounts/{id}/sources</c>: inbound hooks.</summary>
internal static class SourcesCommand
{
    private static readonly string[] Columns = ["id", "kind", "name", "auth", "url", "username", "createdAt"];

    public static Command Build() => new("sources", "Inbound hooks: URLs that take finished conversations in the seed's JSON (from Smartsupp, another Chatport…), each with its own auth.")
    {
        List(), Get(), Create(), Delete(),
    };

    private static Command List()
    {
        var account = AccountOption();
        return Leaf("list", "List the account's inbound hooks.", [account], async (parseResult, settings, client, cancellationToken) =>
            await ResourceOutput.ListAsync(settings, await client.GetAsync(AccountPath(parseResult.GetValue(account), "sources"), cancellationToken), Columns));
    }

    private static Command Get()
    {
        var account = AccountOption();
        var id = IdArgument("inbound hook");
        return Leaf("get", "Show one inbound hook.", [account, id], async (parseResult, settings, client, cancellationToken) =>
            await ResourceOutput.ItemAsync(settings, await client.GetAsync(
                AccountPath(parseResult.GetValue(account), "sources", parseResult.GetValue(id)!), cancellationToken)));
    }

    private static Command Create()
    {
        var account = AccountOption();
        var name = new Option<string?>("--name") { Description = "A name to know it by (up to 200 characters)." };
        var auth = new Option<string>("--auth")
        {
            Description = "How senders prove themselves: token (the URL is the secret), basic, standard (Standard Webhooks signatures) "
                + "or smartsupp-hmac.",
            DefaultValueFactory = _ => "token",
        }.AcceptOnlyFromAmong("token", "basic", "standard", "smartsupp-hmac");
        var secret = new Option<string?>("--secret")
        {
            Description = "The password or signing secret (basic, standard, smartsupp-hmac); one is made and printed once when absent.",
        };
        var username = new Option<string?>("--username") { Description = "The user name, for basic auth." };
        return Leaf("create", "Add an inbound hook; prints its URL (/hooks/TOKEN on the server) and a generated secret, once.",
            [account, name, auth, secret, username], async (parseResult, settings, client, cancellationToken) =>
            {
                var body = new JsonObject { ["kind"] = "hook", ["auth"] = parseResult.GetValue(auth) };
                if (parseResult.GetValue(name) is { } n)
                {
                    body["name"] = n;
                }
                if (parseResult.GetValue(secret) is { } s)
                {
                    body["secret"] = s;
                }
                if (parseResult.GetValue(username) is { } u)
                {
                    body["username"] = u;
                }
                var answer = await client.PostJsonAsync(AccountPath(parseResult.GetValue(account), "sources"), Utf8(body), cancellationToken);
                return await ResourceOutput.ItemAsync(settings, answer, "Created:");
            });
    }

    private static Command Delete()
    {
        var account = AccountOption();
        var id = IdArgument("inbound hook");
        return Leaf("delete", "Delete an inbound hook: its URL stops working.", [account, id], async (parseResult, settings, client, cancellationToken) =>
            await ResourceOutput.DoneAsync(settings, await client.DeleteAsync(
                AccountPath(parseResult.GetValue(account), "sources", parseResult.GetValue(id)!), cancellationToken),
                $"Deleted inbound hook {parseResult.GetValue(id)}."));
    }
}
