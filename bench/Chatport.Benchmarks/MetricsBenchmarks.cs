using BenchmarkDotNet.Attributes;
using Chatport.Contract;
using Chatport.Tracking;

namespace Chatport.Benchmarks;

/// <summary>
/// <see cref="ChatMetricsCalculator.Compute"/> over a chat of 10 and of 1,000 messages (visitor and agent
/// alternating, every 25th a trigger, the tracker's own copies). The message list is made once in
/// <see cref="Setup"/>; only the computation is measured.
/// </summary>
[MemoryDiagnoser]
public class MetricsBenchmarks
{
    private List<Message> _messages = [];

    [Params(10, 1_000)]
    public int MessageCount { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _messages = SeedChat.LongChatMessages(MessageCount);
        if (_messages.Count != MessageCount || Compute().MessagesCount == 0)
        {
            throw new InvalidOperationException("The metrics benchmark's input is not the chat it is meant to be.");
        }
    }

    [Benchmark]
    public ChatMetrics Compute() => ChatMetricsCalculator.Compute(_messages, FinishReason.AgentClose);
}
