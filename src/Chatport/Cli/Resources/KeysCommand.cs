using System.CommandLine;
using System.Text.Json.Nodes;
using static Chatport.Cli.Resources.ResourceCommands;

namespace Chatport.Cli.Resources;

/// <summary><c>chatport keys list|create|revoke</c> on <c>/v1/accounts/{id}/keys</c>: API keys that act for one account.</summary>
internal static class KeysCommand
{
    private static readonly string[] Columns = ["id", "name", "prefix", "createdAt", "revokedAt"];

    public static Command Build() => new("keys", "API keys that act for one account only, for its own systems (the admin key makes them).")
    {
        List(), Create(), Revoke(),
    };

    private static Command List()
    {
        var account = AccountOption();
        return Leaf("list", "List the account's keys: their ids, names and prefixes, never the keys.", [account],
            async (parseResult, settings, client, cancellationToken) =>
                await ResourceOutput.ListAsync(settings, await client.GetAsync(AccountPath(parseResult.GetValue(account), "keys"), cancellationToken), Columns));
    }

    private static Command Create()
    {
        var account = AccountOption();
        var name = new Option<string>("--name") { Description = "What the key is for, e.g. \"chat platform\" (up to 200 characters).", Required = true };
        return Leaf("create", "Make a key for the account (admin key). The key is printed once: only its SHA-256 is kept.", [account, name],
            async (parseResult, settings, client, cancellationToken) =>
            {
                var body = new JsonObject { ["name"] = parseResult.GetValue(name) };
                var answer = await client.PostJsonAsync(AccountPath(parseResult.GetValue(account), "keys"), Utf8(body), cancellationToken);
                return await ResourceOutput.ItemAsync(settings, answer, "Created:");
            });
    }

    private static Command Revoke()
    {
        var account = AccountOption();
        var id = IdArgument("key");
        return Leaf("revoke", "Revoke a key: it is refused from now on.", [account, id], async (parseResult, settings, client, cancellationToken) =>
            await ResourceOutput.DoneAsync(settings, await client.DeleteAsync(
                AccountPath(parseResult.GetValue(account), "keys", parseResult.GetValue(id)!), cancellationToken),
                $"Revoked key {parseResult.GetValue(id)}."));
    }
}
