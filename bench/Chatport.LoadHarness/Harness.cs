using System.Diagnostics;

namespace Chatport.LoadHarness;

/// <summary>What every scenario gets: the options, the running Chatport and a client for it.</summary>
internal sealed class Harness(HarnessOptions options, ChatportServer server, ChatportClient client, CancellationToken stopping)
{
    /// <summary>The bench account (a fresh data folder each run, so always new).</summary>
    public const long AccountId = 4242;

    public HarnessOptions Options => options;

    public ChatportServer Server => server;

    public ChatportClient Client => client;

    public CancellationToken Stopping => stopping;

    /// <summary>The folder holding Chatport.slnx: looked for from the current folder, then from the binary's.</summary>
    public static string RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Chatport.slnx")))
                {
                    return dir.FullName;
                }
            }
        }
        return Directory.GetCurrentDirectory();
    }

    /// <summary>Creates the account and one webhook destination to <paramref name="url"/>; its id.</summary>
    public async Task<string> SetUpAsync(Uri url, IReadOnlyList<string>? retrySchedule)
    {
        await client.CreateAccountAsync(AccountId, stopping);
        var destination = await client.CreateWebhookAsync(AccountId, url, retrySchedule, stopping);
        Console.WriteLine($"Account {AccountId}, destination {destination} → {url}"
            + (retrySchedule is null ? " (default retry schedule)." : $" (retrySchedule [{string.Join(", ", retrySchedule.Select(d => $"\"{d}\""))}])."));
        foreach (var kind in options.Also)
        {
            var json = kind switch
            {
                "jsonl" => """{"kind":"file","name":"bench jsonl","format":"jsonl","path":"bench/chats.jsonl"}""",
                "csv" => """{"kind":"file","name":"bench csv","format":"csv","path":"bench/chats.csv"}""",
                _ => """{"kind":"sql","name":"bench sql","provider":"sqlite","connectionString":"Data Source=bench-export.db"}""",
            };
            await client.CreateDestinationAsync(AccountId, json, stopping);
            Console.WriteLine($"Also a {kind} destination: {json}");
        }
        return destination;
    }

    /// <summary>
    /// Imports conversations 1 to <paramref name="count"/> in arrays of <paramref name="batch"/>, with at most
    /// <paramref name="concurrency"/> requests in flight, as fast as Chatport takes them (or as
    /// <paramref name="mayImport"/> lets). Conversations are counted in <paramref name="acked"/> when their
    /// request answered 200.
    /// </summary>
    /// <param name="firstId">The first conversation id (the warm-up uses ids after the measured ones).</param>
    public async Task<Ingest> ImportAllAsync(int count, int batch, int concurrency, Counter acked, Func<bool>? mayImport = null, long firstId = 1)
    {
        var conversations = new Conversations(AccountId);
        var batches = (count + batch - 1) / batch;
        var next = -1;
        var ingest = new Ingest(batches, conversations.ApproximateSize);
        ingest.Started = Stopwatch.GetTimestamp();
        async Task WorkAsync()
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < batches)
            {
                while (mayImport is not null && !mayImport())
                {
                    await Task.Delay(20, stopping);
                }
                var offset = (long)index * batch;
                var first = firstId + offset;
                var size = (int)Math.Min(batch, count - offset);
                var body = conversations.Batch(first, size);
                var sent = Stopwatch.GetTimestamp();
                var failure = await client.ImportAsync(body, stopping);
                var done = Stopwatch.GetTimestamp();
                if (failure is not null)
                {
                    throw new InvalidOperationException($"Importing conversations {first} to {first + size - 1} failed: {failure}");
                }
                ingest.Sent[index] = sent;
                ingest.Acked[index] = done;
                ingest.Sizes[index] = size;
                acked.Add(size);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(WorkAsync)));
        ingest.Finished = Stopwatch.GetTimestamp();
        return ingest;
    }
}

/// <summary>A thread-safe running count.</summary>
internal sealed class Counter
{
    private long _value;

    public long Value => Interlocked.Read(ref _value);

    public void Add(long amount) => Interlocked.Add(ref _value, amount);
}

/// <summary>The timing of every batch of an import run.</summary>
internal sealed class Ingest(int batches, int conversationBytes)
{
    public long Started { get; set; }

    public long Finished { get; set; }

    public long[] Sent { get; } = new long[batches];

    public long[] Acked { get; } = new long[batches];

    public int[] Sizes { get; } = new int[batches];

    public int ConversationBytes => conversationBytes;

    public long Conversations => Sizes.Sum(s => (long)s);

    public double Seconds => Report.Seconds(Started, Finished);

    public double Rate => Conversations / Seconds;

    /// <summary>The round trip of each batch request (send → 200), in ms.</summary>
    public Distribution RoundTrips() => new(Sent.Select((s, i) => Report.Ms(s, Acked[i])));

    /// <summary>The ack time of the batch holding conversation <paramref name="id"/> (1-based; batches of <paramref name="batch"/>).</summary>
    public long AckOf(long id, int batch) => Acked[(id - 1) / batch];
}
