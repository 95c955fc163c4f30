namespace Chatport.LoadHarness;

/// <summary>
/// <c>POST /v1/events</c> under wrk with bench/inbound/events.lua: a realistic mix of live events (messages, agent
/// joins, triggers, pages, ratings, closes by visitor and by agent, offline messages) on account 208, no destination.
/// <c>events</c> sends one event per request; <c>ndjson10</c> NDJSON requests of 10 events. Reports events/s and the
/// conversations finished (counted in the store).
/// </summary>
internal static class EventsScenario
{
    private const long WarmupBase = 100_000_000;
    private const long MeasuredBase = 200_000_000;

    public static async Task<Row> RunAsync(HarnessOptions options, string dll, int perRequest, CancellationToken cancellationToken)
    {
        var name = perRequest == 1 ? "events" : $"ndjson{perRequest}";
        await using var run = await ChatportRun.StartAsync(options, dll, cancellationToken);
        await run.Client.CreateAccountAsync(HookScenario.AccountId, cancellationToken);
        Console.WriteLine($"{name}: Chatport on {run.Storage} (pid {run.Server.ProcessId}), {perRequest} event(s) per request, account {HookScenario.AccountId}");
        var url = new Uri(run.Server.Address, "/v1/events");
        // Chats open at once: far more than the requests in flight, so a chat's events never overtake each other.
        var active = Wrk.Id(perRequest * options.Connections * 16);
        string[] Args(long chatBase) => [ChatportServer.AdminKey, Wrk.Id(chatBase), Wrk.Id(perRequest), active, Wrk.Id(HookScenario.AccountId)];
        // A warm-up round's chats follow the last round's: each of a request's events starts at most one chat.
        var phases = await WrkPhases.RunAsync(options, url, "events.lua", sent => Args(WarmupBase + sent * perRequest), Args(MeasuredBase),
            run.Server.ProcessId, run.Server.CpuTime, cancellationToken);
        var measured = phases.Measured;
        await Task.Delay(1000, cancellationToken);
        var finished = await run.CountConversationsAsync(HookScenario.AccountId, MeasuredBase, MeasuredBase + 100_000_000, cancellationToken);
        var events = measured["accepted"];
        var rejected = (long)(phases.Warmup["rejected"] + measured["rejected"]);
        var duplicates = (long)(phases.Warmup["duplicates"] + measured["duplicates"]);
        string? problem = null;
        if (duplicates > 0)
        {
            problem = $"{Report.N(duplicates)} events answered duplicate: the ids were not unique";
        }
        var expected = (long)measured.Ok * perRequest;
        if (measured["accepted"] + measured["rejected"] < expected)
        {
            problem ??= $"{events:N0} events accepted for {Report.N(expected)} in 2xx answers";
        }
        return new Row
        {
            What = name,
            Figure = events / measured.Seconds,
            Unit = "events/s",
            Second = finished / measured.Seconds,
            SecondUnit = "conversations finished/s",
            CpuMicrosPerRequest = phases.CpuMicrosPerRequest,
            P50Ms = measured["p50_ms"],
            P99Ms = measured["p99_ms"],
            Failures = phases.Failures + rejected,
            Problem = problem,
            Note = $"{Report.F(measured.Rps, 0)} requests/s of {perRequest} event(s); {events:N0} events accepted, {Report.N(rejected)} refused; "
                + $"{Report.N(finished)} conversations finished and stored ({run.Storage})"
                + (perRequest > 1 ? $"; server CPU {Report.F(phases.ServerCpu.TotalMilliseconds * 1000 / Math.Max(1, events), 1)} µs per event" : ""),
        };
    }
}
