using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Chatport.Cli.Remote;
using Chatport.Contract;
using Chatport.Delivery.Destinations.File;
using Spectre.Console;

namespace Chatport.Cli.Transfer;

/// <summary>
/// <c>chatport export --account N --format jsonl|csv --out FILE</c>: an account's conversations (their latest
/// versions), paged through <c>GET /v1/accounts/{N}/conversations</c>, written as the file destination writes them —
/// JSONL, each line the stored body (<see cref="JsonlRecord"/>), or CSV (<see cref="CsvRecord"/>, times in the
/// account's zone) — to a temporary file renamed to <c>--out</c> once complete.
/// </summary>
internal static class ExportCommand
{
    /// <summary>Conversations a page (the API's most).</summary>
    public const int PageSize = 500;

    public static Command Build()
    {
        var account = new Option<long>("--account") { Description = "The account whose conversations are exported.", Required = true };
        var format = new Option<string>("--format") { Description = "jsonl (the stored bodies, one a line) or csv (the file destination's columns).", Required = true };
        format.AcceptOnlyFromAmong("jsonl", "csv");
        var output = new Option<string>("--out") { Description = "The file to write (written under a temporary name, renamed when complete).", Required = true };
        var from = new Option<string?>("--from") { Description = "Only conversations that ended at or after this time (epoch ms or ISO 8601)." };
        var to = new Option<string?>("--to") { Description = "Only conversations that ended before this time (epoch ms or ISO 8601)." };
        var kind = new Option<string?>("--kind") { Description = "Only conversations of this kind: completed, missed, offline, dropped or chat." };
        var force = new Option<bool>("--force") { Description = "Replace --out if it exists." };
        var remote = new RemoteOptions();
        var command = new Command("export", "Export an account's conversations from a running Chatport to a JSONL or CSV file, newest endAt first.")
        {
            account, format, output, from, to, kind, force,
        };
        remote.AddTo(command);
        account.Check(id => id >= 1, "--account must be an account id (an integer > 0).");
        RemoteCommand.SetAction(command, remote, async (parseResult, settings, client, cancellationToken) =>
        {
            var accountId = parseResult.GetValue(account);
            var csv = parseResult.GetValue(format) == "csv";
            var path = Path.GetFullPath(parseResult.GetValue(output)!);
            if (File.Exists(path) && !parseResult.GetValue(force))
            {
                await Console.Error.WriteLineAsync($"{parseResult.GetValue(output)} exists; pass --force to replace it.");
                return ExitCodes.Usage;
            }
            var query = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"limit={PageSize}"));
            foreach (var (name, value) in new[] { ("from", parseResult.GetValue(from)), ("to", parseResult.GetValue(to)), ("kind", parseResult.GetValue(kind)) })
            {
                if (value is { Length: > 0 })
                {
                    query.Append('&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
                }
            }
            // The account: that it exists (a listing of an unknown one is merely empty), and its zone for CSV times.
            var accountAnswer = await client.GetAsync(string.Create(CultureInfo.InvariantCulture, $"/v1/accounts/{accountId}"), cancellationToken);
            if (!accountAnswer.IsSuccess)
            {
                await Console.Error.WriteLineAsync(accountAnswer.Describe());
                return ExitCodes.Refused;
            }
            TimeZoneInfo zone;
            using (var accountJson = accountAnswer.Json())
            {
                zone = Delivery.Destinations.AccountZones.Resolve(
                    accountJson?.RootElement is { ValueKind: JsonValueKind.Object } root && root.TryGetProperty("timeZone", out var name)
                    && name.ValueKind == JsonValueKind.String ? name.GetString() : null);
            }
            var exporter = new Exporter(client, accountId, query.ToString(), csv, zone);
            var temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
            var started = Stopwatch.GetTimestamp();
            int count;
            try
            {
                await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    if (RemoteCommand.ToTerminal(settings))
                    {
                        count = await AnsiConsole.Progress()
                            .AutoClear(true)
                            .Columns(new TaskDescriptionColumn(), new SpinnerColumn())
                            .StartAsync(async context =>
                            {
                                var task = context.AddTask("Exporting", maxValue: 1);
                                task.IsIndeterminate = true;
                                return await exporter.RunAsync(stream, n => task.Description = string.Create(CultureInfo.InvariantCulture, $"Exported {n}"), cancellationToken);
                            });
                    }
                    else
                    {
                        count = await exporter.RunAsync(stream, _ => { }, cancellationToken);
                    }
                    await stream.FlushAsync(cancellationToken);
                    stream.Flush(flushToDisk: true);
                }
                if (count < 0)
                {
                    File.Delete(temporary);
                    return ExitCodes.Refused;
                }
                File.Move(temporary, path, overwrite: parseResult.GetValue(force));
            }
            catch
            {
                File.Delete(temporary);
                throw;
            }
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (settings.Json)
            {
                await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $$"""{"accountId":{{accountId}},"format":"{{(csv ? "csv" : "jsonl")}}","conversations":{{count}},"out":{{JsonSerializer.Serialize(path)}},"elapsedMs":{{(long)elapsed.TotalMilliseconds}}}"""));
            }
            else
            {
                await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"Exported {count} conversation(s) of account {accountId} to {parseResult.GetValue(output)} ({(csv ? "csv" : "jsonl")}) in {elapsed.TotalSeconds:0.0} s."));
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}

/// <summary>Pages through an account's conversations and writes each as a JSONL line or a CSV row.</summary>
internal sealed class Exporter(ChatportClient client, long accountId, string query, bool csv, TimeZoneInfo zone)
{
    /// <summary>Bodies read at once.</summary>
    private const int Parallel = 8;

    /// <summary>Writes every conversation; the count, or -1 when the server refused (its reason printed).</summary>
    public async Task<int> RunAsync(Stream output, Action<int> progress, CancellationToken cancellationToken)
    {
        var count = 0;
        string? cursor = null;
        do
        {
            var page = await client.GetAsync(string.Create(CultureInfo.InvariantCulture,
                $"/v1/accounts/{accountId}/conversations?{query}{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}"), cancellationToken);
            if (!page.IsSuccess)
            {
                await Console.Error.WriteLineAsync(page.Describe());
                return -1;
            }
            using var json = page.Json();
            var root = json!.RootElement;
            var items = root.GetProperty("items").EnumerateArray().ToList();
            // The page's bodies are read a few at a time, and written in the listing's order.
            using var throttle = new SemaphoreSlim(Parallel);
            var reads = items.Select(async item =>
            {
                await throttle.WaitAsync(cancellationToken);
                try
                {
                    return await client.GetAsync(item.GetProperty("url").GetString()!, cancellationToken);
                }
                finally
                {
                    throttle.Release();
                }
            }).ToList();
            for (var i = 0; i < items.Count; i++)
            {
                var item = items[i];
                var body = await reads[i];
                if (body.Status == HttpStatusCode.NotFound)
                {
                    continue;
                }
                if (!body.IsSuccess)
                {
                    await Console.Error.WriteLineAsync(body.Describe());
                    await Task.WhenAll(reads.Skip(i + 1).Select(r => r.ContinueWith(_ => { }, TaskScheduler.Default)));
                    return -1;
                }
                byte[] record;
                if (csv)
                {
                    var conversation = ConversationNormalizer.Normalize(ContractJson.Parse(body.Body));
                    var kinds = item.GetProperty("kinds").EnumerateArray().Select(k => k.GetString()!).ToList();
                    record = CsvRecord.Row(conversation, item.GetProperty("accountId").GetInt64(), item.GetProperty("chatId").GetInt64(),
                        item.GetProperty("version").GetInt32(), kinds, zone, withHeader: count == 0);
                }
                else
                {
                    record = JsonlRecord.Line(body.Body);
                }
                await output.WriteAsync(record, cancellationToken);
                progress(++count);
            }
            cursor = root.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);
        if (csv && count == 0)
        {
            await output.WriteAsync(CsvRecord.Header(), cancellationToken);
        }
        return count;
    }
}
