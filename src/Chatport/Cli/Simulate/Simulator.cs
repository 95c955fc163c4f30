using System.Net;
using System.Text.Json;
using Chatport.Cli.Remote;

namespace Chatport.Cli.Simulate;

/// <summary>What to simulate.</summary>
/// <param name="Rate">Chats per second in real time; null: as fast as the server takes them, on times spread over the last hours.</param>
/// <param name="BatchEvents">A request is sent once it holds this many events (whole chats only, so a chat is never split).</param>
internal sealed record SimulationPlan(long AccountId, int Chats, double? Rate, int Seed, int BatchEvents = 500)
{
    /// <summary>How far back the chats' own times reach when no rate is given.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(3);
}

/// <summary>What a simulation sent and what the server made of it.</summary>
internal sealed class SimulationSummary
{
    public const int ReasonsKept = 5;

    public required SimulationPlan Plan { get; init; }

    public Dictionary<SimulatedKind, int> Chats { get; } = Enum.GetValues<SimulatedKind>().ToDictionary(k => k, _ => 0);

    public int ChatsSent { get; set; }

    public int EventsSent { get; set; }

    public int Requests { get; set; }

    public int Accepted { get; set; }

    public int Duplicates { get; set; }

    public int Rejected { get; set; }

    public List<RejectionReason> Reasons { get; } = [];

    public TimeSpan Elapsed { get; set; }
}

/// <summary>
/// Sends <see cref="SimulatedChat"/>s to <c>POST /v1/events</c> as JSON arrays: as fast as the server answers, or paced
/// to a rate in real time.
/// </summary>
internal sealed class Simulator(ChatportClient client, TimeProvider time)
{
    private static readonly TimeSpan FlushEvery = TimeSpan.FromMilliseconds(100);

    public async Task<SimulationSummary> RunAsync(SimulationPlan plan, Action<int> progress, CancellationToken cancellationToken)
    {
        var summary = new SimulationSummary { Plan = plan };
        var started = time.GetTimestamp();
        // The clock is read once: the chats' times are fixed by it and the seed alone, so a run again is the same chats.
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        var windowMs = (long)SimulationPlan.Window.TotalMilliseconds;
        var batch = new List<SimulatedChat>();
        var batchEvents = 0;
        var lastSent = started;
        for (var index = 0; index < plan.Chats; index++)
        {
            SimulatedChat chat;
            if (plan.Rate is { } rate)
            {
                var due = TimeSpan.FromSeconds(index / rate);
                var wait = due - time.GetElapsedTime(started);
                if (wait > TimeSpan.Zero)
                {
                    // Before a wait, what is due goes out (a paced run is live traffic, not batches held back), at most
                    // every 100 ms at a high rate.
                    if (batch.Count > 0 && (wait >= FlushEvery || time.GetElapsedTime(lastSent) >= FlushEvery))
                    {
                        await SendAsync(batch, summary, progress, cancellationToken);
                        batch.Clear();
                        batchEvents = 0;
                        lastSent = time.GetTimestamp();
                    }
                    if (due - time.GetElapsedTime(started) is { Ticks: > 0 } left)
                    {
                        await Task.Delay(left, time, cancellationToken);
                    }
                }
                // A paced chat ends now: its last event is stamped with the moment it is sent.
                var sentAt = time.GetUtcNow().ToUnixTimeMilliseconds();
                chat = SimulatedChat.Make(plan.AccountId, plan.Seed, index, c => sentAt - c.DurationMs);
            }
            else
            {
                // Spread in order over the window, each ending before now.
                var slot = (index + 0.5) / plan.Chats;
                chat = SimulatedChat.Make(plan.AccountId, plan.Seed, index,
                    c => nowMs - windowMs + (long)(slot * Math.Max(0, windowMs - c.DurationMs - 60_000)));
            }
            batch.Add(chat);
            batchEvents += chat.Events.Count;
            if (batchEvents >= plan.BatchEvents || (plan.Rate is not null && time.GetElapsedTime(lastSent) >= FlushEvery))
            {
                await SendAsync(batch, summary, progress, cancellationToken);
                batch.Clear();
                batchEvents = 0;
                lastSent = time.GetTimestamp();
            }
        }
        if (batch.Count > 0)
        {
            await SendAsync(batch, summary, progress, cancellationToken);
        }
        summary.Elapsed = time.GetElapsedTime(started);
        return summary;
    }

    private async Task SendAsync(List<SimulatedChat> chats, SimulationSummary summary, Action<int> progress, CancellationToken cancellationToken)
    {
        var body = new MemoryStream();
        body.WriteByte((byte)'[');
        var events = 0;
        foreach (var chat in chats)
        {
            foreach (var e in chat.Events)
            {
                if (events++ > 0)
                {
                    body.WriteByte((byte)',');
                }
                body.Write(e);
            }
        }
        body.WriteByte((byte)']');

        RemoteAnswer answer;
        try
        {
            answer = await client.PostJsonAsync("/v1/events", body.ToArray(), cancellationToken);
        }
        catch (RemoteException e) when (summary.ChatsSent > 0)
        {
            // Said so that a rerun with the same seed is known to be safe: what was taken comes back as duplicates.
            throw new RemoteException(e.ExitCode, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{e.Message} {summary.ChatsSent} of {summary.Plan.Chats} chats were sent before; the same seed again sends the rest (what was taken counts as duplicates)."));
        }
        summary.Requests++;
        using var json = answer.Json();
        var root = json?.RootElement;
        if (answer.Status == HttpStatusCode.Accepted && root is { ValueKind: JsonValueKind.Object } accepted)
        {
            summary.Accepted += Int(accepted, "accepted");
            summary.Duplicates += Int(accepted, "duplicates");
            summary.Rejected += Int(accepted, "rejected");
            KeepReasons(accepted, summary);
        }
        else if (answer.Status == HttpStatusCode.UnprocessableEntity && root is { ValueKind: JsonValueKind.Object } refused)
        {
            // None of the batch was taken (an unknown account, finished chats): counted, and the run goes on.
            summary.Rejected += refused.TryGetProperty("errorCount", out var count) && count.TryGetInt32(out var n) ? n : events;
            KeepReasons(refused, summary);
        }
        else
        {
            throw new RemoteException(ExitCodes.Refused, summary.ChatsSent == 0 ? answer.Describe() : string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{answer.Describe()}{Environment.NewLine}{summary.ChatsSent} of {summary.Plan.Chats} chats were sent before."));
        }
        foreach (var chat in chats)
        {
            summary.Chats[chat.Kind]++;
        }
        summary.ChatsSent += chats.Count;
        summary.EventsSent += events;
        progress(chats.Count);
    }

    private static int Int(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.TryGetInt32(out var n) ? n : 0;

    // The first few distinct reasons, each with its first event and how many of the listed errors gave it.
    private static void KeepReasons(JsonElement root, SimulationSummary summary)
    {
        if (!root.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Array)
        {
            return;
        }
        foreach (var item in errors.EnumerateArray())
        {
            var error = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("error", out var e) ? e.ToString() : item.ToString();
            var known = summary.Reasons.FindIndex(r => r.Error == error);
            if (known >= 0)
            {
                summary.Reasons[known] = summary.Reasons[known] with { Count = summary.Reasons[known].Count + 1 };
            }
            else if (summary.Reasons.Count < SimulationSummary.ReasonsKept)
            {
                summary.Reasons.Add(new RejectionReason(error, RemoteAnswer.ErrorItem(item), 1));
            }
        }
    }
}

/// <summary>Why events were rejected: the server's sentence, its first event (<c>event ID: why</c>), and how often it was listed.</summary>
internal sealed record RejectionReason(string Error, string First, int Count)
{
    public override string ToString() => Count > 1
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{First} (and {Count - 1} more like it)")
        : First;
}
