using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Chatport.Cli.Remote;
using Spectre.Console;

namespace Chatport.Cli.Transfer;

/// <summary>
/// <c>chatport import FILE|FOLDER|-</c>: backfills seed-format conversations through <c>POST /v1/conversations</c>
/// (docs/architecture.md, "Sources"), in batches, each file checked in full before any of it is sent, resumable.
/// </summary>
internal static class ImportCommand
{
    /// <summary>About the most bytes of conversations one request carries (the server takes 16 MiB by default).</summary>
    public const int BatchBytes = 4 * 1024 * 1024;

    /// <summary>Exit code when Ctrl+C stopped the import (the state is written: <c>--resume</c> goes on).</summary>
    public const int Interrupted = 130;

    public static Command Build()
    {
        var input = new Argument<string>("input")
        {
            Description = "A .json file (an array of conversations, or one), an .ndjson file (one a line), a folder of .json/.ndjson files "
                + "(sent in name order), or - for stdin.",
        };
        var batch = new Option<int>("--batch")
        {
            Description = "Conversations per request, at most (a request also stops at about 4 MiB).",
            DefaultValueFactory = _ => 200,
        };
        var resume = new Option<bool>("--resume") { Description = "Go on from the state file: skip what it says the server acknowledged." };
        var state = new Option<string?>("--state")
        {
            Description = $"The state file (default: {ImportState.DefaultName} beside the file, or in the folder; stdin keeps none without it).",
        };
        var remote = new RemoteOptions();
        var command = new Command("import", "Backfill finished conversations into a running Chatport through POST /v1/conversations. Each file is "
            + "checked in full first: a malformed one is reported (where and why) and none of it is sent. Exits 1 if anything was refused.")
        {
            input, batch, resume, state,
        };
        remote.AddTo(command);
        batch.Check(n => n is >= 1 and <= 10_000, "--batch must be 1 to 10000 conversations.");
        RemoteCommand.SetAction(command, remote, async (parseResult, settings, client, cancellationToken) =>
        {
            var path = parseResult.GetValue(input)!;
            var files = Inputs(path);
            if (files is null)
            {
                await Console.Error.WriteLineAsync($"{path}: no such file or folder.");
                return ExitCodes.Usage;
            }
            var statePath = parseResult.GetValue(state) is { Length: > 0 } given ? given
                : path == "-" ? null
                : Directory.Exists(path) ? Path.Combine(path, ImportState.DefaultName)
                : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, ImportState.DefaultName);
            ImportState? importState = null;
            if (statePath is not null)
            {
                if (File.Exists(statePath) && !parseResult.GetValue(resume))
                {
                    await Console.Error.WriteLineAsync($"{statePath} exists: an earlier import of this input did not finish. "
                        + "Pass --resume to go on from it, or delete it to start again.");
                    return ExitCodes.Usage;
                }
                try
                {
                    importState = File.Exists(statePath) ? ImportState.Load(statePath) : ImportState.Empty(statePath);
                }
                catch (InvalidDataException e)
                {
                    await Console.Error.WriteLineAsync(e.Message + " Delete it to start again.");
                    return ExitCodes.Usage;
                }
            }
            else if (parseResult.GetValue(resume))
            {
                await Console.Error.WriteLineAsync("--resume needs --state FILE when the input is stdin.");
                return ExitCodes.Usage;
            }
            using var stop = new CancellationTokenSource();
            void OnCancel(object? sender, ConsoleCancelEventArgs e)
            {
                if (!stop.IsCancellationRequested)
                {
                    e.Cancel = true;
                    stop.Cancel();
                }
            }
            Console.CancelKeyPress += OnCancel;
            try
            {
                var importer = new Importer(client, importState, parseResult.GetValue(batch), stop.Token);
                ImportSummary summary;
                if (RemoteCommand.ToTerminal(settings))
                {
                    var total = files.Sum(f => f.Bytes);
                    summary = await AnsiConsole.Progress()
                        .AutoClear(true)
                        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                        .StartAsync(async context =>
                        {
                            var task = context.AddTask($"Importing {files.Count} file(s)", maxValue: Math.Max(1, total));
                            return await importer.RunAsync(files, bytes => task.Increment(bytes), cancellationToken);
                        });
                    foreach (var line in summary.Problems)
                    {
                        AnsiConsole.MarkupLine($"[red]{Markup.Escape(line)}[/]");
                    }
                    AnsiConsole.WriteLine(Plain(summary));
                }
                else
                {
                    summary = await importer.RunAsync(files, _ => { }, cancellationToken);
                    foreach (var line in summary.Problems)
                    {
                        await Console.Error.WriteLineAsync(line);
                    }
                    await Console.Out.WriteAsync(settings.Json ? Json(summary) : Plain(summary) + Environment.NewLine);
                }
                if (summary.Interrupted)
                {
                    return Interrupted;
                }
                if (summary.Failed)
                {
                    return ExitCodes.Refused;
                }
                importState?.Delete();
                return ExitCodes.Ok;
            }
            finally
            {
                Console.CancelKeyPress -= OnCancel;
            }
        });
        return command;
    }

    /// <summary>The input's files, in the order they are sent; null when there is no such path.</summary>
    private static List<InputSource>? Inputs(string path)
    {
        if (path == "-")
        {
            return [new InputSource(null, "stdin", 0)];
        }
        if (Directory.Exists(path))
        {
            return [.. Directory.EnumerateFiles(path)
                .Where(f => Path.GetExtension(f).ToLowerInvariant() is ".json" or ".ndjson" or ".jsonl")
                .Order(StringComparer.Ordinal)
                .Select(f => new InputSource(f, f, new FileInfo(f).Length))];
        }
        return File.Exists(path) ? [new InputSource(path, path, new FileInfo(path).Length)] : null;
    }

    private static string Plain(ImportSummary s)
    {
        var i = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(i, $"Import of {s.Files} file(s) done in {s.Elapsed.TotalSeconds:0.0} s: {s.Sent} conversation(s) sent in {s.Requests} request(s); ")
            .Append(i, $"{s.Stored} stored, {s.Unchanged} unchanged, {s.Refused} refused");
        if (s.Skipped > 0)
        {
            text.Append(i, $", {s.Skipped} skipped (--resume)");
        }
        if (s.FilesRefused > 0)
        {
            text.Append(i, $"; {s.FilesRefused} file(s) not sent");
        }
        text.Append('.');
        if (s.Interrupted)
        {
            text.Append(" Stopped (Ctrl+C) after the batch in flight; run again with --resume to go on.");
        }
        return text.ToString();
    }

    private static string Json(ImportSummary s)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("files", s.Files);
            w.WriteNumber("filesRefused", s.FilesRefused);
            w.WriteNumber("sent", s.Sent);
            w.WriteNumber("requests", s.Requests);
            w.WriteNumber("stored", s.Stored);
            w.WriteNumber("unchanged", s.Unchanged);
            w.WriteNumber("refused", s.Refused);
            w.WriteNumber("skipped", s.Skipped);
            w.WriteBoolean("interrupted", s.Interrupted);
            w.WriteStartArray("problems");
            foreach (var problem in s.Problems)
            {
                w.WriteStringValue(problem);
            }
            w.WriteEndArray();
            w.WriteNumber("elapsedMs", (long)s.Elapsed.TotalMilliseconds);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + Environment.NewLine;
    }
}

/// <summary>One input to read: a file (null: stdin), how messages name it, its size.</summary>
internal sealed record InputSource(string? File, string Name, long Bytes);

/// <summary>What an import did.</summary>
internal sealed class ImportSummary
{
    public int Files { get; set; }

    public int FilesRefused { get; set; }

    public int Sent { get; set; }

    public int Requests { get; set; }

    public int Stored { get; set; }

    public int Unchanged { get; set; }

    public int Refused { get; set; }

    public int Skipped { get; set; }

    public bool Interrupted { get; set; }

    /// <summary>Something was refused or not sent: the exit code is 1.</summary>
    public bool Failed { get; set; }

    public List<string> Problems { get; } = [];

    public TimeSpan Elapsed { get; set; }
}

/// <summary>Sends the inputs' conversations in batches, file by file, writing the state after each acknowledged batch.</summary>
internal sealed class Importer(ChatportClient client, ImportState? state, int batchSize, CancellationToken stop)
{
    private int _batchSize = batchSize;

    public async Task<ImportSummary> RunAsync(IReadOnlyList<InputSource> sources, Action<long> progress, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var summary = new ImportSummary();
        foreach (var source in sources)
        {
            if (stop.IsCancellationRequested)
            {
                summary.Interrupted = true;
                break;
            }
            summary.Files++;
            byte[] bytes;
            try
            {
                bytes = source.File is null ? await ReadStdinAsync(cancellationToken) : await System.IO.File.ReadAllBytesAsync(source.File, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                summary.Problems.Add($"{source.Name}: cannot be read: {e.Message}");
                summary.FilesRefused++;
                summary.Failed = true;
                continue;
            }
            var key = state?.KeyOf(source.File) ?? "-";
            var ndjson = source.File is not null && Path.GetExtension(source.File).ToLowerInvariant() is ".ndjson" or ".jsonl";
            var file = ImportInput.Read(source.Name, key, bytes, ndjson);
            if (!file.IsValid)
            {
                foreach (var error in file.Errors)
                {
                    summary.Problems.Add($"{file.Name}: {error.Where}: {error.Reason}");
                }
                if (file.ErrorCount > file.Errors.Count)
                {
                    summary.Problems.Add($"{file.Name}: … and {file.ErrorCount - file.Errors.Count} more error(s).");
                }
                summary.Problems.Add($"{file.Name}: not imported; nothing of it was sent.");
                summary.FilesRefused++;
                summary.Failed = true;
                progress(source.Bytes);
                continue;
            }
            var done = Math.Min(state?.Acknowledged(key) ?? 0, file.Items.Count);
            summary.Skipped += done;
            progress(file.Items.Take(done).Sum(i => (long)i.Raw.Length));
            var reported = (long)file.Items.Take(done).Sum(i => (long)i.Raw.Length);
            while (done < file.Items.Count)
            {
                if (stop.IsCancellationRequested)
                {
                    summary.Interrupted = true;
                    break;
                }
                var batch = Take(file.Items, done);
                var answer = await client.PostJsonAsync("/v1/conversations", Body(batch), cancellationToken);
                summary.Requests++;
                if (answer.Status == HttpStatusCode.RequestEntityTooLarge && batch.Count > 1)
                {
                    // The server takes fewer a request than asked: halve the batch and send it again.
                    _batchSize = Math.Max(1, batch.Count / 2);
                    continue;
                }
                summary.Sent += batch.Count;
                if (answer.IsSuccess)
                {
                    Count(answer, summary);
                    done += batch.Count;
                    state?.Set(key, done);
                    var bytesSent = batch.Sum(i => (long)i.Raw.Length);
                    reported += bytesSent;
                    progress(bytesSent);
                    continue;
                }
                summary.Failed = true;
                Refused(file, batch, answer, summary);
                if (answer.Status != HttpStatusCode.BadRequest)
                {
                    // Not about the conversations (the store cannot write now, …): stop; --resume goes on from here.
                    summary.Problems.Add("Stopped: what was acknowledged is in the state file; run again with --resume once the server takes imports.");
                    summary.Elapsed = Stopwatch.GetElapsedTime(started);
                    return summary;
                }
                summary.Problems.Add($"{file.Name}: the rest of it (from item {done + batch.Count + 1}) was not sent.");
                break;
            }
            progress(Math.Max(0, source.Bytes - reported));
            if (summary.Interrupted)
            {
                break;
            }
        }
        summary.Elapsed = Stopwatch.GetElapsedTime(started);
        return summary;
    }

    private static async Task<byte[]> ReadStdinAsync(CancellationToken cancellationToken)
    {
        using var stdin = Console.OpenStandardInput();
        using var buffer = new MemoryStream();
        await stdin.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    /// <summary>The next batch from <paramref name="from"/>: at most the batch size, and about <see cref="ImportCommand.BatchBytes"/>.</summary>
    private List<InputItem> Take(IReadOnlyList<InputItem> items, int from)
    {
        var batch = new List<InputItem>();
        long bytes = 0;
        for (var i = from; i < items.Count && batch.Count < _batchSize; i++)
        {
            if (batch.Count > 0 && bytes + items[i].Raw.Length > ImportCommand.BatchBytes)
            {
                break;
            }
            batch.Add(items[i]);
            bytes += items[i].Raw.Length + 1;
        }
        return batch;
    }

    /// <summary>A JSON array of the batch's conversations, each exactly as the file has it.</summary>
    private static byte[] Body(List<InputItem> batch)
    {
        var body = new byte[batch.Sum(i => i.Raw.Length + 1) + 1];
        var at = 0;
        body[at++] = (byte)'[';
        foreach (var item in batch)
        {
            if (at > 1)
            {
                body[at++] = (byte)',';
            }
            item.Raw.CopyTo(body, at);
            at += item.Raw.Length;
        }
        body[at++] = (byte)']';
        return body.AsSpan(0, at).ToArray();
    }

    /// <summary>The server's answer per item: <c>created</c> and <c>newVersion</c> are stored, <c>duplicate</c> unchanged.</summary>
    private static void Count(RemoteAnswer answer, ImportSummary summary)
    {
        using var json = answer.Json();
        if (json?.RootElement is { ValueKind: JsonValueKind.Object } root && root.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in items.EnumerateArray())
            {
                if (item.TryGetProperty("outcome", out var outcome) && outcome.ValueEquals("duplicate"))
                {
                    summary.Unchanged++;
                }
                else
                {
                    summary.Stored++;
                }
            }
        }
    }

    /// <summary>A refused batch (the server stores none of a refused request): each reason, named by file and item.</summary>
    private static void Refused(InputFile file, List<InputItem> batch, RemoteAnswer answer, ImportSummary summary)
    {
        summary.Refused += batch.Count;
        using var json = answer.Json();
        var named = 0;
        if (json?.RootElement is { ValueKind: JsonValueKind.Object } root && root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
        {
            foreach (var error in errors.EnumerateArray())
            {
                if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("index", out var indexElement) && indexElement.TryGetInt32(out var index)
                    && index >= 0 && index < batch.Count)
                {
                    var item = batch[index];
                    var path = error.TryGetProperty("path", out var p) && p.ValueKind == JsonValueKind.String ? " at " + p.GetString() : "";
                    summary.Problems.Add(string.Create(CultureInfo.InvariantCulture,
                        $"{file.Name}: item {item.Index + 1} (line {item.Line}){path}: refused by the server: {(error.TryGetProperty("error", out var e) ? e.ToString() : "no reason given")}"));
                    named++;
                }
            }
        }
        if (named == 0)
        {
            summary.Problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"{file.Name}: items {batch[0].Index + 1} to {batch[^1].Index + 1}: {answer.Describe()}"));
        }
    }
}
