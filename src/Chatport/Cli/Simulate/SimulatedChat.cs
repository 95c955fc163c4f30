using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using static Chatport.Cli.Simulate.SimulatedWords;

namespace Chatport.Cli.Simulate;

/// <summary>What a simulated chat is meant to finish as.</summary>
internal enum SimulatedKind
{
    /// <summary>Answered, then closed by the visitor or the agent: <c>completed</c>.</summary>
    Completed,

    /// <summary>The visitor wrote, nobody answered, the visitor closed: <c>missed</c>.</summary>
    Missed,

    /// <summary>A message left while no agent was there: <c>offline</c>.</summary>
    Offline,

    /// <summary>Answered, then left open to finish by inactivity: <c>dropped</c>.</summary>
    LeftOpen,

    /// <summary>The visitor wrote, nobody answered, and the chat is left open: <c>missed</c> and <c>dropped</c>.</summary>
    LeftOpenUnanswered,
}

/// <summary>One simulated chat: its events (JSON, in order) and the kind it is meant to finish as.</summary>
internal sealed record SimulatedChat(long ChatId, SimulatedKind Kind, IReadOnlyList<byte[]> Events, long DurationMs)
{
    /// <summary>The conversation kinds Chatport is expected to give it (docs/architecture.md, "The tracker's rules").</summary>
    public IReadOnlyList<string> ExpectedKinds => Kind switch
    {
        SimulatedKind.Completed => ["completed"],
        SimulatedKind.Missed => ["missed"],
        SimulatedKind.Offline => ["offline"],
        SimulatedKind.LeftOpen => ["dropped"],
        _ => ["missed", "dropped"],
    };

    /// <summary>The most chats one seed makes: the chat ids of a seed are <c>(seed as unsigned) × 2^24 + 1 …</c>.</summary>
    public const int MaxChats = (1 << 24) - 1;

    /// <summary>The chat id of the <paramref name="index"/>th chat of <paramref name="seed"/>: distinct across seeds.</summary>
    public static long ChatIdOf(int seed, int index) => ((long)(uint)seed << 24) + index + 1;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The <paramref name="index"/>th chat of <paramref name="seed"/>. Everything but the times comes from a
    /// <see cref="Random"/> seeded with the seed and the index only, so a run again makes the same events with the same
    /// ids (<c>sim-SEED-CHAT-N</c>); <paramref name="startAt"/> (epoch ms) and <paramref name="endAt"/> place it in time:
    /// given a start it begins there, else it ends at <paramref name="endAt"/>.
    /// </summary>
    public static SimulatedChat Make(long accountId, int seed, int index, Func<SimulatedChat, long> placeStart)
    {
        var random = new Random(Mix(seed, index));
        var chatId = ChatIdOf(seed, index);
        var roll = random.Next(100);
        var kind = roll switch
        {
            < 55 => SimulatedKind.Completed,
            < 70 => SimulatedKind.Missed,
            < 82 => SimulatedKind.Offline,
            < 92 => SimulatedKind.LeftOpen,
            _ => SimulatedKind.LeftOpenUnanswered,
        };
        var script = new Script(random, kind);
        var steps = script.Steps();
        var duration = steps[^1].Offset;
        var chat = new SimulatedChat(chatId, kind, [], duration);
        var start = placeStart(chat);
        var events = new List<byte[]>(steps.Count);
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            events.Add(Write(w =>
            {
                w.WriteString("id", string.Create(CultureInfo.InvariantCulture, $"sim-{seed}-{chatId}-{i}"));
                w.WriteNumber("accountId", accountId);
                w.WriteNumber("chatId", chatId);
                w.WriteNumber("at", start + step.Offset);
                w.WriteString("type", step.Type);
                w.WritePropertyName(step.Type);
                w.WriteStartObject();
                step.Body(w);
                w.WriteEndObject();
            }));
        }
        return chat with { Events = events };
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    // SplitMix64's finalizer: independent streams for neighbouring (seed, index) pairs, the same on every run and
    // platform (HashCode is randomized per process).
    private static int Mix(int seed, int index)
    {
        var z = ((ulong)(uint)seed << 32 | (uint)index) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)(z ^ (z >> 31));
    }

    private sealed record Step(long Offset, string Type, Action<Utf8JsonWriter> Body);

    /// <summary>The story of one chat, as steps at offsets from its start.</summary>
    private sealed class Script(Random random, SimulatedKind kind)
    {
        private readonly List<Step> _steps = [];
        private long _t;

        private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

        private void After(int minSeconds, int maxSeconds) => _t += random.Next(minSeconds * 1000, maxSeconds * 1000);

        private void Add(string type, Action<Utf8JsonWriter> body) => _steps.Add(new Step(_t, type, body));

        public List<Step> Steps()
        {
            var place = Pick(Places);
            var spanish = place.Spanish;
            var first = Pick(FirstNames);
            var last = Pick(LastNames);
            var name = $"{first} {last}";
            var email = $"{Ascii(first)}.{Ascii(last)}{random.Next(1, 100)}@{Pick(MailDomains)}";
            var token = "visitor:" + new string([.. Enumerable.Range(0, 32).Select(_ => "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[random.Next(62)])]);
            var browser = Pick(Browsers);
            var visitorId = random.Next(10_000, 1_000_000);
            var ip = $"{Pick<string>(["192.0.2", "198.51.100", "203.0.113"])}.{random.Next(1, 255)}";
            var referer = Pick(Referers);
            var agent = Pick(Agents);

            Add("visitor", w =>
            {
                w.WriteNumber("id", visitorId);
                w.WriteString("name", name);
                w.WriteString("email", email);
                w.WriteNull("note");
                w.WriteNull("group");
                w.WriteString("ipAddress", ip);
                w.WriteString("city", place.City);
                w.WriteString("countryCode", place.CountryCode);
                w.WriteString("country", place.Country);
                w.WriteString("userAgent", browser.UserAgent);
                w.WriteString("platform", browser.Platform);
                w.WriteString("referer", referer);
            });
            var pages = random.Next(1, 4);
            foreach (var page in Enumerable.Range(0, pages).Select(_ => Pick(SimulatedWords.Pages)))
            {
                _t += 100;
                Add("page", w =>
                {
                    w.WriteString("url", "https://shop.example.com" + page.Path);
                    w.WriteString("title", spanish ? page.Spanish : page.English);
                });
                After(5, 60);
            }

            void Say(string type, string? who, string from, string content, string? trigger = null) => Add("message", w =>
            {
                w.WriteString("type", type);
                if (who is not null)
                {
                    w.WriteString("name", who);
                }
                w.WriteString("from", from);
                w.WriteString("content", content);
                if (trigger is null)
                {
                    w.WriteNull("triggeredBy");
                }
                else
                {
                    w.WriteString("triggeredBy", trigger);
                }
            });

            if (kind == SimulatedKind.Offline)
            {
                var text = Pick(OfflineMessages(spanish));
                Add("offline", w =>
                {
                    w.WriteString("type", "visitor");
                    w.WriteString("name", name);
                    w.WriteString("from", token);
                    w.WriteString("content", text);
                });
                return _steps;
            }

            if (random.Next(100) < 40)
            {
                Say("agent", "", "system", Pick(TriggerMessages(spanish)), Pick(Triggers));
                After(3, 30);
            }
            Say("visitor", name, token, Pick(Questions(spanish)));

            if (kind is SimulatedKind.Missed or SimulatedKind.LeftOpenUnanswered)
            {
                if (random.Next(100) < 50)
                {
                    After(30, 120);
                    Say("visitor", name, token, Pick(Unanswered(spanish)));
                }
                if (kind == SimulatedKind.Missed)
                {
                    After(10, 90);
                    Add("close", w => w.WriteString("by", "visitor"));
                }
                return _steps;
            }

            After(3, 40);
            Say("system", agent.Name, $"agent:{agent.Id}", "agent.join");
            After(2, 25);
            Say("agent", agent.Name, $"agent:{agent.Id}", Pick(Answers(spanish)));
            for (var exchanges = random.Next(0, 3); exchanges > 0; exchanges--)
            {
                After(5, 60);
                Say("visitor", name, token, Pick(FollowUps(spanish)));
                After(5, 45);
                Say("agent", agent.Name, $"agent:{agent.Id}", Pick(Answers(spanish)));
            }
            if (kind == SimulatedKind.LeftOpen)
            {
                return _steps;
            }

            var visitorCloses = random.Next(100) < 60;
            After(5, 40);
            Say("visitor", name, token, Pick(Thanks(spanish)));
            if (!visitorCloses)
            {
                // The agent closes after a last word, so the visitor's thanks is answered: not missed.
                After(3, 20);
                Say("agent", agent.Name, $"agent:{agent.Id}", Pick(Goodbyes(spanish)));
            }
            var rated = random.Next(100) < 50;
            var ratedAfterClose = rated && random.Next(100) < 30;
            var stars = Pick<int>([5, 5, 5, 4, 4, 3, 2, 1]);
            string? comment = random.Next(100) < 40 ? Pick(RatingComments(spanish)) : null;
            void Rate() => Add("rating", w =>
            {
                w.WriteNumber("rating", stars);
                if (comment is not null)
                {
                    w.WriteString("ratingDesc", comment);
                }
            });
            if (rated && !ratedAfterClose)
            {
                After(2, 15);
                Rate();
            }
            After(1, 10);
            Add("close", w =>
            {
                w.WriteString("by", visitorCloses ? "visitor" : "agent");
                if (!visitorCloses)
                {
                    w.WriteString("name", agent.Name);
                }
            });
            if (ratedAfterClose)
            {
                After(2, 20);
                Rate();
            }
            return _steps;
        }

        // The names' accents, for an e-mail address in ASCII (InvariantGlobalization: no normalization tables).
        private static string Ascii(string name) => new([.. name.Select(c => c switch
        {
            'á' => 'a', 'é' => 'e', 'í' => 'i', 'ó' => 'o', 'ú' => 'u', 'ñ' => 'n',
            _ => char.ToLowerInvariant(c),
        }).Where(char.IsAsciiLetterLower)]);
    }
}
