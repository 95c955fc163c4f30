using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Chatport.Contract;
using Chatport.Tests.Tracking;
using Chatport.Tracking;

namespace Chatport.Benchmarks;

/// <summary>
/// The conversation tracker's hot path: parsing live events, applying them to a chat's state, building and
/// serializing the finished conversation, and the state's per-request persistence round trip.
/// </summary>
/// <remarks>
/// All inputs are made once in <see cref="Setup"/>; no <c>[IterationSetup]</c> (it would distort sub-microsecond
/// timings). Each benchmark that needs a fresh <see cref="ChatState"/> creates it inside the measured method, so
/// that allocation is part of the reported cost, as it is for a real chat.
/// </remarks>
[MemoryDiagnoser]
public class TrackerBenchmarks
{
    private const int LongChatMessageCount = 200;
    private const long LongChatId = 55040;

    private ChatEvent[] _seedEvents = [];
    private JsonDocument? _seedDocument;
    private byte[] _seedStateJson = [];
    private ChatState _seedState = new();
    private ChatState _longChat = new();
    private ChatEvent? _longChatClose;

    [GlobalSetup]
    public void Setup()
    {
        _seedEvents = SeedChat.ParsedEvents();
        _seedDocument = JsonDocument.Parse(SeedChat.EventArray);
        _seedState = SeedChat.FinishedSeedState();
        _seedStateJson = ChatStateJson.Serialize(_seedState);
        _longChat = SeedChat.OpenLongChat(LongChatMessageCount);
        _longChatClose = SeedChat.LongChatClose(LongChatMessageCount);

        // Check once that each benchmark runs the path it claims to (finished chats, exported conversations).
        if (ApplySeedChat().FinishedBy != FinishReason.VisitorClose
            || ApplyAndBuild().Length == 0
            || FinishLongChat().Length == 0
            || _longChat.FinishedBy is not null
            || _longChat.Messages.Count != LongChatMessageCount
            || ParseEvents() != SeedChat.EventTexts.Length
            || StateRoundTrip().Messages.Count != _seedState.Messages.Count
            || !StjChatStateJson.Serialize(_seedState).AsSpan().SequenceEqual(_seedStateJson)
            || StateDeserializeStj().Messages.Count != StateDeserialize().Messages.Count)
        {
            throw new InvalidOperationException("A benchmark does not run the path it is meant to measure.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _seedDocument?.Dispose();

    /// <summary>
    /// (a) The seed chat's 10 pre-parsed events applied to a fresh state (its allocation is included): the
    /// tracker's cost per event is this mean / 10.
    /// </summary>
    [Benchmark(Baseline = true)]
    public ChatState ApplySeedChat()
    {
        var state = new ChatState();
        var events = _seedEvents;
        for (var i = 0; i < events.Length; i++)
        {
            ChatTracker.Apply(state, events[i], SeedChat.ReceivedAt, out _);
        }

        return state;
    }

    /// <summary>
    /// (b) <see cref="ApplySeedChat"/> plus <see cref="ConversationBuilder.Build"/> and
    /// <see cref="ContractJson.Serialize"/>: the time and allocations of one finished, exported conversation.
    /// </summary>
    [Benchmark]
    public byte[] ApplyAndBuild()
    {
        var state = ApplySeedChat();
        var conversation = ConversationBuilder.Build(SeedChat.AccountId, SeedChat.ChatId, state)!;
        return ContractJson.Serialize(conversation);
    }

    /// <summary>
    /// (c) An open chat of 200 messages (visitor and agent alternating, every 25th a trigger) finished by a close
    /// event, then built and serialized. The close appends one message and sets the finish; both are undone after
    /// the measured work (an O(1) <c>RemoveAt</c> of the last item and two field writes, no allocation) so every
    /// invocation finishes the same open chat.
    /// </summary>
    [Benchmark]
    public byte[] FinishLongChat()
    {
        var state = _longChat;
        ChatTracker.Apply(state, _longChatClose!, SeedChat.ReceivedAt, out _);
        var json = ContractJson.Serialize(ConversationBuilder.Build(SeedChat.AccountId, LongChatId, state)!);

        state.Messages.RemoveAt(state.Messages.Count - 1);
        state.FinishedBy = null;
        state.FinishedAt = null;
        return json;
    }

    /// <summary>(d) <see cref="ChatEventParser.TryParse"/> of the seed chat's 10 events from an already parsed document.</summary>
    [Benchmark]
    public int ParseEvents()
    {
        var parsed = 0;
        foreach (var element in _seedDocument!.RootElement.EnumerateArray())
        {
            if (ChatEventParser.TryParse(element, out _, out _))
            {
                parsed++;
            }
        }

        return parsed;
    }

    /// <summary>
    /// (e) <see cref="ChatStateJson.Serialize"/> then <see cref="ChatStateJson.Deserialize"/> of the finished seed
    /// chat's state: what persisting and reloading a chat costs per request.
    /// </summary>
    [Benchmark]
    public ChatState StateRoundTrip() => ChatStateJson.Deserialize(ChatStateJson.Serialize(_seedState));

    /// <summary>(e, baseline) <see cref="StateRoundTrip"/> with System.Text.Json's source-generated serializer.</summary>
    [Benchmark]
    public ChatState StateRoundTripStj() => StjChatStateJson.Deserialize(StjChatStateJson.Serialize(_seedState));

    /// <summary>(f) <see cref="ChatStateJson.Serialize"/> alone of the finished seed chat's state.</summary>
    [Benchmark]
    public byte[] StateSerialize() => ChatStateJson.Serialize(_seedState);

    /// <summary>(f, baseline) <see cref="StateSerialize"/> with System.Text.Json's source-generated serializer.</summary>
    [Benchmark]
    public byte[] StateSerializeStj() => StjChatStateJson.Serialize(_seedState);

    /// <summary>(g) <see cref="ChatStateJson.Deserialize"/> alone of the finished seed chat's state.</summary>
    [Benchmark]
    public ChatState StateDeserialize() => ChatStateJson.Deserialize(_seedStateJson);

    /// <summary>(g, baseline) <see cref="StateDeserialize"/> with System.Text.Json's source-generated serializer.</summary>
    [Benchmark]
    public ChatState StateDeserializeStj() => StjChatStateJson.Deserialize(_seedStateJson);
}
