using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Chatport.Contract;

namespace Chatport.Benchmarks;

/// <summary>
/// Reading and writing one seed-format conversation: the JSON cost of every import and inbound hook. The input is
/// <c>schemas/examples/seed-sample.json</c> compacted (1,8xx B), read once in <see cref="Setup"/>.
/// </summary>
[MemoryDiagnoser]
public class ContractBenchmarks
{
    private byte[] _seed = [];
    private Conversation _parsed = null!;

    [GlobalSetup]
    public void Setup()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "schemas", "examples", "seed-sample.json");
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        _seed = JsonSerializer.SerializeToUtf8Bytes(document.RootElement);
        _parsed = ContractJson.Parse(_seed);
        if (_parsed.Messages is not { Count: > 0 } || ParseWellFormed().Channel is null || Scan() is not { ChatId: 55039 })
        {
            throw new InvalidOperationException("The contract benchmark's input is not the seed conversation.");
        }
    }

    /// <summary>What an inbound hook does: the syntax pre-pass, then deserialize and validate.</summary>
    [Benchmark(Baseline = true)]
    public Conversation Parse() => ContractJson.Parse(_seed);

    /// <summary>
    /// What an inbound hook does since issue 17: <see cref="Parse"/>, with the setters of accountId, channel and channel.id
    /// refusing a second key (a type-info modifier).
    /// </summary>
    [Benchmark]
    public Conversation ParseInbound() => ContractJson.ParseInbound(_seed);

    /// <summary>What an import did per element once its array was read into a JsonDocument (now its fallback).</summary>
    [Benchmark]
    public Conversation ParseWellFormed() => ContractJson.ParseWellFormed(_seed);

    /// <summary>What an import does per element now: check it against the contract and read its head, without building it.</summary>
    [Benchmark]
    public ConversationHead? Scan()
    {
        var reader = new Utf8JsonReader(_seed, new JsonReaderOptions { MaxDepth = ContractJson.MaxDepth });
        reader.Read();
        return ContractScanner.Scan(ref reader);
    }

    /// <summary>Writing it back (a live conversation's body, a normalized older-generation one).</summary>
    [Benchmark]
    public byte[] Serialize() => ContractJson.Serialize(_parsed);
}
