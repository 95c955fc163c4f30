using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Chatport.Cli.Remote;
using Spectre.Console;

namespace Chatport.Cli.Simulate;

/// <summary>
/// <c>chatport simulate --account N --chats N [--rate N] [--seed N]</c>: realistic live traffic through
/// <c>POST /v1/events</c> (docs/architecture.md, "The tracker's rules"), the same for the same seed.
/// </summary>
internal static class SimulateCommand
{
    public static Command Build()
    {
        var account = new Option<long>("--account") { Description = "The account the chats are for (it must exist).", Required = true };
        var chats = new Option<int>("--chats") { Description = "How many chats to simulate.", Required = true };
        var rate = new Option<double?>("--rate")
        {
            Description = "Chats per second, in real time, each stamped as ending now. Without it: as fast as the server takes them, "
                + "their times spread over the last 3 hours.",
        };
        var seed = new Option<int?>("--seed")
        {
            Description = "Makes the run repeatable: the same seed sends the same chats with the same event ids (a rerun is all duplicates). "
                + "Without it a random seed is used and printed.",
        };
        var batch = new Option<int>("--batch")
        {
            Description = "Events per request, about: whole chats are sent together.",
            DefaultValueFactory = _ => 500,
        };
        var remote = new RemoteOptions();
        var command = new Command("simulate", "Send realistic live-chat traffic to a running Chatport through POST /v1/events: completed, missed "
            + "and offline chats, triggers, ratings, closes by visitor and agent, and chats left open to drop by inactivity. "
            + "Exits 1 if the server rejected any event.")
        {
            account, chats, rate, seed, batch,
        };
        remote.AddTo(command);
        account.Check(id => id >= 1, "--account must be an account id (an integer > 0).");
        chats.Check(n => n is >= 1 and <= SimulatedChat.MaxChats, string.Create(CultureInfo.InvariantCulture, $"--chats must be 1 to {SimulatedChat.MaxChats}."));
        rate.Check(r => r is > 0 and <= 100_000, "--rate must be more than 0 and at most 100000 chats per second.");
        batch.Check(n => n is >= 1 and <= 10_000, "--batch must be 1 to 10000 events.");
        RemoteCommand.SetAction(command, remote, async (parseResult, settings, client, cancellationToken) =>
        {
            var plan = new SimulationPlan(
                parseResult.GetValue(account), parseResult.GetValue(chats), parseResult.GetValue(rate),
                parseResult.GetValue(seed) ?? RandomNumberGenerator.GetInt32(int.MaxValue), parseResult.GetValue(batch));
            var simulator = new Simulator(client, TimeProvider.System);
            SimulationSummary summary;
            if (RemoteCommand.ToTerminal(settings))
            {
                summary = await AnsiConsole.Progress()
                    .AutoClear(true)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .StartAsync(async context =>
                    {
                        var task = context.AddTask(string.Create(CultureInfo.InvariantCulture, $"Sending {plan.Chats} chats"), maxValue: plan.Chats);
                        return await simulator.RunAsync(plan, n => task.Increment(n), cancellationToken);
                    });
                WriteTable(summary);
            }
            else
            {
                summary = await simulator.RunAsync(plan, _ => { }, cancellationToken);
                await Console.Out.WriteAsync(settings.Json ? Json(summary) : Plain(summary));
            }
            return summary.Rejected > 0 ? ExitCodes.Refused : ExitCodes.Ok;
        });
        return command;
    }

    private static string LeftOpenNote(SimulationSummary s) => string.Create(CultureInfo.InvariantCulture,
        $"dropped after the account's inactivity timeout; {s.Chats[SimulatedKind.LeftOpenUnanswered]} unanswered (missed too)");

    private static int LeftOpen(SimulationSummary s) => s.Chats[SimulatedKind.LeftOpen] + s.Chats[SimulatedKind.LeftOpenUnanswered];

    private static string Heading(SimulationSummary s) => string.Create(CultureInfo.InvariantCulture,
        $"Simulated {s.ChatsSent} chats for account {s.Plan.AccountId} (seed {s.Plan.Seed}, chat ids {SimulatedChat.ChatIdOf(s.Plan.Seed, 0)} to {SimulatedChat.ChatIdOf(s.Plan.Seed, s.Plan.Chats - 1)}) in {s.Elapsed.TotalSeconds:0.0} s.");

    private static string EventsLine(SimulationSummary s) => string.Create(CultureInfo.InvariantCulture,
        $"Events: {s.EventsSent} sent in {s.Requests} request(s): {s.Accepted} accepted, {s.Duplicates} duplicates, {s.Rejected} rejected.");

    private static string Plain(SimulationSummary s)
    {
        var text = new StringBuilder();
        var i = CultureInfo.InvariantCulture;
        text.AppendLine(Heading(s));
        text.AppendLine(i, $"  completed  {s.Chats[SimulatedKind.Completed]}");
        text.AppendLine(i, $"  missed     {s.Chats[SimulatedKind.Missed]}");
        text.AppendLine(i, $"  offline    {s.Chats[SimulatedKind.Offline]}");
        text.AppendLine(i, $"  left open  {LeftOpen(s)} ({LeftOpenNote(s)})");
        text.AppendLine(EventsLine(s));
        AppendReasons(text, s);
        return text.ToString();
    }

    private static void AppendReasons(StringBuilder text, SimulationSummary s)
    {
        if (s.Reasons.Count == 0)
        {
            return;
        }
        text.AppendLine("Rejected, why:");
        foreach (var reason in s.Reasons)
        {
            text.Append("  ").AppendLine(reason.ToString());
        }
    }

    private static void WriteTable(SimulationSummary s)
    {
        AnsiConsole.WriteLine(Heading(s));
        var table = new Table().AddColumn("Expected kind").AddColumn(new TableColumn("Chats").RightAligned()).AddColumn("");
        string N(int n) => n.ToString(CultureInfo.InvariantCulture);
        table.AddRow("completed", N(s.Chats[SimulatedKind.Completed]), "");
        table.AddRow("missed", N(s.Chats[SimulatedKind.Missed]), "the visitor closed, unanswered");
        table.AddRow("offline", N(s.Chats[SimulatedKind.Offline]), "");
        table.AddRow("left open", N(LeftOpen(s)), Markup.Escape(LeftOpenNote(s)));
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(s.Rejected > 0 ? $"[red]{Markup.Escape(EventsLine(s))}[/]" : Markup.Escape(EventsLine(s)));
        var reasons = new StringBuilder();
        AppendReasons(reasons, s);
        if (reasons.Length > 0)
        {
            AnsiConsole.Write(new Text(reasons.ToString()));
        }
    }

    private static string Json(SimulationSummary s)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("accountId", s.Plan.AccountId);
            w.WriteNumber("seed", s.Plan.Seed);
            w.WriteNumber("firstChatId", SimulatedChat.ChatIdOf(s.Plan.Seed, 0));
            w.WriteNumber("lastChatId", SimulatedChat.ChatIdOf(s.Plan.Seed, s.Plan.Chats - 1));
            w.WriteNumber("chats", s.ChatsSent);
            w.WriteStartObject("kinds");
            w.WriteNumber("completed", s.Chats[SimulatedKind.Completed]);
            w.WriteNumber("missed", s.Chats[SimulatedKind.Missed]);
            w.WriteNumber("offline", s.Chats[SimulatedKind.Offline]);
            w.WriteNumber("leftOpen", LeftOpen(s));
            w.WriteNumber("leftOpenUnanswered", s.Chats[SimulatedKind.LeftOpenUnanswered]);
            w.WriteEndObject();
            w.WriteNumber("events", s.EventsSent);
            w.WriteNumber("requests", s.Requests);
            w.WriteNumber("accepted", s.Accepted);
            w.WriteNumber("duplicates", s.Duplicates);
            w.WriteNumber("rejected", s.Rejected);
            w.WriteStartArray("reasons");
            foreach (var reason in s.Reasons)
            {
                w.WriteStringValue(reason.ToString());
            }
            w.WriteEndArray();
            w.WriteNumber("elapsedMs", (long)s.Elapsed.TotalMilliseconds);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + Environment.NewLine;
    }
}
