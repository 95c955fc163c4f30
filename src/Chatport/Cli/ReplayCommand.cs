using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Chatport.Cli.Remote;
using Chatport.Cli.Resources;

namespace Chatport.Cli;

/// <summary>
/// <c>chatport replay --account N --destination ID [--since T] [--until T] [--status S]</c>
/// (<c>POST /v1/accounts/{id}/destinations/{dst}/replay</c>) or <c>chatport replay --delivery ID</c>
/// (<c>POST /v1/deliveries/{id}/replay</c>): send deliveries again.
/// </summary>
internal static partial class ReplayCommand
{
    public static Command Build()
    {
        var account = new Option<long?>("--account") { Description = "The account of the destination (with --destination)." }
            .Check(id => id is null or >= 1, "--account must be an account id (an integer > 0).");
        var destination = new Option<string?>("--destination") { Description = "Send this destination's deliveries again (with --account)." };
        var delivery = new Option<string?>("--delivery") { Description = "Send this one delivery again, under the same webhook-id (alone)." };
        var since = new Option<string?>("--since")
        {
            Description = "Only deliveries created at or after this time: ISO 8601 (2026-05-01T10:00Z; no offset is UTC) or an age such as 30m, 6h, 2d.",
        }.Check(t => t is null || TryTime(t, out _), "--since must be an ISO 8601 time (2026-05-01T10:00Z) or an age (30m, 6h, 2d).");
        var until = new Option<string?>("--until")
        {
            Description = "Only deliveries created before this time, written as --since is.",
        }.Check(t => t is null || TryTime(t, out _), "--until must be an ISO 8601 time (2026-05-01T10:00Z) or an age (30m, 6h, 2d).");
        var status = new Option<string?>("--status") { Description = "Only deliveries in this state: pending, succeeded or failed (default all)." }
            .AcceptOnlyFromAmong("pending", "succeeded", "failed");
        var remote = new RemoteOptions();
        var command = new Command("replay", "Send deliveries again: a destination's (by time range and status; prints how many were queued) "
            + "with --account and --destination, or one delivery with --delivery.")
        {
            account, destination, delivery, since, until, status,
        };
        remote.AddTo(command);
        command.Validators.Add(result =>
        {
            var one = result.GetResult(delivery) is not null;
            var byDestination = result.GetResult(account) is not null || result.GetResult(destination) is not null;
            if (one && (byDestination || result.GetResult(since) is not null || result.GetResult(until) is not null || result.GetResult(status) is not null))
            {
                result.AddError("--delivery replays one delivery: give it alone, or --account and --destination with --since, --until and --status.");
            }
            else if (!one && (result.GetResult(account) is null || result.GetResult(destination) is null))
            {
                result.AddError("Give --account and --destination (a destination's deliveries), or --delivery (one delivery).");
            }
        });
        RemoteCommand.SetAction(command, remote, async (parseResult, settings, client, cancellationToken) =>
        {
            if (parseResult.GetValue(delivery) is { } id)
            {
                var replayed = await client.PostJsonAsync($"/v1/deliveries/{Uri.EscapeDataString(id)}/replay", "{}"u8.ToArray(), cancellationToken);
                if (!replayed.IsSuccess)
                {
                    return await ResourceOutput.RefusedAsync(settings, replayed);
                }
                using var one = replayed.Json() ?? throw new RemoteException(ExitCodes.Refused, "Chatport answered with no JSON.");
                await ResourceOutput.WriteItemAsync(settings, replayed.Body, one.RootElement, $"Queued delivery {id} again:");
                return ExitCodes.Ok;
            }
            var body = new JsonObject();
            if (parseResult.GetValue(since) is { } from && TryTime(from, out var sinceTime))
            {
                body["since"] = sinceTime.ToString("O", CultureInfo.InvariantCulture);
            }
            if (parseResult.GetValue(until) is { } to && TryTime(to, out var untilTime))
            {
                body["until"] = untilTime.ToString("O", CultureInfo.InvariantCulture);
            }
            if (parseResult.GetValue(status) is { } state)
            {
                body["status"] = state;
            }
            var destinationId = parseResult.GetValue(destination)!;
            var path = ResourceCommands.AccountPath(parseResult.GetValue(account)!.Value, "destinations", destinationId) + "/replay";
            var answer = await client.PostJsonAsync(path, ResourceCommands.Utf8(body), cancellationToken);
            if (!answer.IsSuccess)
            {
                return await ResourceOutput.RefusedAsync(settings, answer);
            }
            if (settings.Json)
            {
                await ResourceOutput.WriteJsonAsync(answer.Body);
                return ExitCodes.Ok;
            }
            using var json = answer.Json() ?? throw new RemoteException(ExitCodes.Refused, "Chatport answered with no JSON.");
            var count = json.RootElement.TryGetProperty("replayed", out var n) && n.ValueKind == JsonValueKind.Number ? n.GetInt32() : 0;
            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Queued {count} {(count == 1 ? "delivery" : "deliveries")} of destination {destinationId} again."));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>An ISO 8601 time (UTC when it has no offset) or an age back from now (<c>90s</c>, <c>30m</c>, <c>6h</c>, <c>2d</c>).</summary>
    internal static bool TryTime(string text, out DateTimeOffset time)
    {
        var age = Age().Match(text.Trim());
        if (age.Success && long.TryParse(age.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var amount) && amount <= 3650L * 24 * 3600)
        {
            var seconds = amount * age.Groups[2].Value switch { "s" => 1L, "m" => 60L, "h" => 3600L, _ => 86400L };
            if (seconds <= 3650L * 86400)
            {
                time = TimeProvider.System.GetUtcNow().AddSeconds(-seconds);
                return true;
            }
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
    }

    [GeneratedRegex("^([0-9]{1,12})([smhd])$")]
    private static partial Regex Age();
}
