using System.Diagnostics;

namespace Chatport.LoadHarness;

/// <summary>
/// Chatport's inbound hook (<c>POST /hooks/{token}</c>, a source of kind hook with token auth on account 208, the
/// seed sample's): wrk POSTs a unique seed-sample body per request (bench/inbound/unique-bodies.lua, a distinct
/// <c>channel.id</c> each). <c>hook</c> has no destination; <c>hook-deliver</c> has a webhook destination to the
/// harness's receiver and is measured after 20,000 other conversations were delivered. Afterwards the store is
/// counted: every 2xx must be a stored conversation.
/// </summary>
internal static class HookScenario
{
    public const long AccountId = 208;

    private const int Prefill = 20_000;
    private const long WarmupBase = 100_000;
    private const long MeasuredBase = 2_000_000; // above 40 s of warm-up at 25,000/s, below the receiver's 3,000,000

    public static async Task<Row> RunAsync(HarnessOptions options, string dll, bool deliver, CancellationToken cancellationToken)
    {
        await using var run = await ChatportRun.StartAsync(options, dll, cancellationToken);
        var name = deliver ? "hook-deliver" : "hook";
        await run.Client.CreateAccountAsync(AccountId, cancellationToken);
        var hook = new Uri(run.Server.Address, await run.Client.CreateHookSourceAsync(AccountId, cancellationToken));
        Console.WriteLine($"{name}: Chatport on {run.Storage} (pid {run.Server.ProcessId}), account {AccountId}, hook {hook.AbsolutePath[..Math.Min(hook.AbsolutePath.Length, 16)]}…");
        await using var receiver = deliver ? await Receiver.StartAsync(3_000_000, cancellationToken) : null;
        if (receiver is not null)
        {
            await run.Client.CreateWebhookAsync(AccountId, receiver.HookUrl, null, cancellationToken);
            await PrefillAsync(run, hook, receiver, cancellationToken);
        }
        var sample = Wrk.SamplePath;
        var phases = await WrkPhases.RunAsync(options, hook, "unique-bodies.lua", sent => [sample, Wrk.Id(WarmupBase + sent)],
            [sample, Wrk.Id(MeasuredBase)], run.Server.ProcessId, run.Server.CpuTime, cancellationToken);
        var measured = phases.Measured;
        await Task.Delay(1000, cancellationToken);
        var stored = await run.CountConversationsAsync(AccountId, MeasuredBase, MeasuredBase + 10_000_000, cancellationToken);
        string? problem = null;
        if (stored < measured.Ok || stored - measured.Ok > options.Connections)
        {
            problem = $"{Report.N(stored)} conversations stored for {Report.N(measured.Ok)} 2xx";
        }
        if (measured["duplicate"] > 0)
        {
            problem ??= $"{measured["duplicate"]:N0} answered duplicate: the bodies were not unique";
        }
        var note = $"{Report.N(measured.Ok)} 2xx, {Report.N(stored)} stored ({run.Storage})";
        if (receiver is not null)
        {
            // Deliveries confirmed by the receiver while wrk ran, then the rest (at most a minute).
            long InWindow()
            {
                long n = 0;
                for (var id = MeasuredBase; id < MeasuredBase + stored + options.Connections; id++)
                {
                    var at = receiver.ArrivalOf(id);
                    if (at != 0 && at >= measured.Started && at <= measured.Finished)
                    {
                        n++;
                    }
                }
                return n;
            }
            var during = InWindow();
            var waited = Stopwatch.GetTimestamp();
            long arrived = 0;
            while (Stopwatch.GetElapsedTime(waited) < TimeSpan.FromSeconds(60))
            {
                arrived = 0;
                for (var id = MeasuredBase; id < MeasuredBase + stored + options.Connections; id++)
                {
                    if (receiver.ArrivalOf(id) != 0)
                    {
                        arrived++;
                    }
                }
                if (arrived >= stored)
                {
                    break;
                }
                await Task.Delay(250, cancellationToken);
            }
            var deliveries = during / Report.Seconds(measured.Started, measured.Finished);
            note += $"; {Report.F(deliveries, 0)} deliveries/s confirmed by the receiver during the run "
                + $"({Report.N(during)}), {Report.N(arrived)} of {Report.N(stored)} delivered {Report.F(Stopwatch.GetElapsedTime(waited).TotalSeconds, 1)} s after wrk stopped; "
                + $"{Report.N(receiver.Duplicates)} repeats; after {Report.N(Prefill)} delivered first";
            if (arrived < stored)
            {
                problem ??= $"{Report.N(stored - arrived)} stored conversations were not delivered within 60 s";
            }
            return phases.RequestsRow(name, note, problem, deliveries);
        }
        return phases.RequestsRow(name, note, problem);
    }

    /// <summary>Conversations 1 to 20,000 through the hook (64 at once), then waits until the receiver has them all.</summary>
    private static async Task PrefillAsync(ChatportRun run, Uri hook, IReceiver receiver, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var conversations = new Conversations(AccountId);
        var next = 0L;
        string? failure = null;
        async Task WorkAsync()
        {
            long id;
            while ((id = Interlocked.Increment(ref next)) <= Prefill && failure is null)
            {
                if (await run.Client.PostAsync(hook.PathAndQuery, conversations.One(id), "application/json", cancellationToken) is { } f)
                {
                    Interlocked.CompareExchange(ref failure, f, null);
                }
            }
        }
        await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(WorkAsync, cancellationToken)));
        if (failure is not null)
        {
            throw new InvalidOperationException($"Sending the {Prefill:N0} conversations before the run failed: {failure}");
        }
        while (receiver.Distinct < Prefill && Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(300))
        {
            await Task.Delay(100, cancellationToken);
        }
        if (receiver.Distinct < Prefill)
        {
            throw new TimeoutException($"Only {receiver.Distinct:N0} of the {Prefill:N0} conversations sent before the run were delivered.");
        }
        Console.WriteLine($"  {Prefill:N0} conversations through the hook and delivered in {Report.F(Stopwatch.GetElapsedTime(started).TotalSeconds, 1)} s (not measured)");
    }
}
