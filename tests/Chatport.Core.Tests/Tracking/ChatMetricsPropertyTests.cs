using Chatport.Contract;
using Chatport.Tracking;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Chatport.Tests.Tracking;

/// <summary>Properties of <see cref="ChatMetricsCalculator"/> over random chats, checked against a spec-literal model.</summary>
public sealed class ChatMetricsPropertyTests
{
    private const int Runs = 500;

    [Property(MaxTest = Runs)]
    public Property Messages_count_is_all_but_triggers() =>
        Prop.ForAll(Chats.Any, chat =>
        {
            var m = chat.Compute();
            var triggers = chat.Messages.Count(Model.IsTrigger);
            return m.MessagesCount <= chat.Messages.Count && m.MessagesCount == chat.Messages.Count - triggers;
        });

    [Property(MaxTest = Runs)]
    public Property Words_match_a_split_based_count() =>
        Prop.ForAll(Chats.Any, chat =>
        {
            var m = chat.Compute();
            var expected = chat.Messages
                .Where(x => !Model.IsTrigger(x))
                .Sum(x => (long)(x.Content.Value?.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length ?? 0));
            return m.WordsCount >= 0 && m.WordsCount == expected;
        });

    [Property(MaxTest = Runs)]
    public Property First_response_is_positive_only_when_a_reply_follows() =>
        Prop.ForAll(Chats.Any, chat =>
        {
            var m = chat.Compute();
            var replyFollows = Model.ReplyFollowsFirstVisitor(chat.Messages);
            return (m.FirstResponse <= 0 || replyFollows) && (replyFollows || m.FirstResponse == 0);
        });

    [Property(MaxTest = Runs)]
    public Property First_response_is_positive_iff_a_reply_follows_with_second_gaps() =>
        Prop.ForAll(Chats.SecondApart, chat =>
            chat.Compute().FirstResponse > 0 == Model.ReplyFollowsFirstVisitor(chat.Messages));

    [Property(MaxTest = Runs)]
    public Property Completed_implies_chat_not_missed_dropped_or_offline() =>
        Prop.ForAll(Chats.Any, chat =>
        {
            var m = chat.Compute();
            return !m.IsCompleted || (m.IsChat && !m.IsMissed && !m.IsDropped && !m.IsOffline);
        });

    [Property(MaxTest = Runs)]
    public Property Offline_implies_not_missed() =>
        Prop.ForAll(Chats.Any, chat =>
        {
            var m = chat.Compute();
            return !m.IsOffline || !m.IsMissed;
        });

    [Property(MaxTest = Runs)]
    public Property Times_are_within_the_duration() =>
        Prop.ForAll(Chats.Any, chat =>
        {
            var m = chat.Compute();
            return m.BeginAt <= m.EndAt
                && m.Duration >= 0
                && m.AvgResponse >= 0 && m.AvgResponse <= m.Duration
                && m.FirstResponse >= 0 && m.FirstResponse <= m.Duration;
        });

    [Property(MaxTest = Runs)]
    public Property Response_times_match_the_model() =>
        Prop.ForAll(Chats.Any, chat =>
        {
            var m = chat.Compute();
            return (m.AvgResponse == Model.AvgResponse(chat.Messages)).Label($"avg {m.AvgResponse}")
                .And(m.FirstResponse == Model.FirstResponse(chat.Messages)).Label($"first {m.FirstResponse}");
        });

    [Property(MaxTest = Runs)]
    public Property Flags_match_the_model() =>
        Prop.ForAll(Chats.Any, chat =>
        {
            var m = chat.Compute();
            var expected = Model.Flags(chat.Messages, chat.Reason);
            return ((m.IsChat, m.IsMissed, m.IsTriggered, m.IsOffline, m.IsCompleted, m.IsDropped) == expected)
                .Label($"{m} expected {expected}");
        });

    [Property(MaxTest = Runs)]
    public Property System_and_trigger_messages_do_not_change_response_times() =>
        Prop.ForAll(Chats.Any, chat =>
        {
            var m = chat.Compute();
            var humans = chat.Messages.Where(x => !Model.IsTrigger(x) && x.Type.Value != "system").ToList();
            var h = ChatMetricsCalculator.Compute(humans, chat.Reason);
            return m.AvgResponse == h.AvgResponse && m.FirstResponse == h.FirstResponse && m.IsMissed == h.IsMissed;
        });

    [Property(MaxTest = Runs)]
    public Property Kinds_are_known_and_consistent() =>
        Prop.ForAll(Chats.Any, chat =>
        {
            var m = chat.Compute();
            var kinds = ConversationKinds.Of(new Channel
            {
                IsCompleted = m.IsCompleted,
                IsMissed = m.IsMissed,
                IsOffline = m.IsOffline,
                IsDropped = m.IsDropped,
            });
            var none = !(m.IsCompleted || m.IsMissed || m.IsOffline || m.IsDropped);
            return kinds.Count > 0
                && kinds.All(ConversationKinds.IsKnown)
                && kinds.Contains(ConversationKinds.Chat) == none
                && !(kinds.Contains(ConversationKinds.Offline) && kinds.Contains(ConversationKinds.Missed))
                && !(kinds.Contains(ConversationKinds.Completed) && kinds.Contains(ConversationKinds.Dropped));
        });

    /// <summary>Independent, spec-literal (quadratic, LINQ) definitions to check the single-pass calculator against.</summary>
    private static class Model
    {
        public static bool IsTrigger(Message m) => m.TriggeredBy.Value is not null;

        public static bool IsVisitor(Message m) => !IsTrigger(m) && m.Type.Value == "visitor";

        public static bool IsReply(Message m) => !IsTrigger(m) && m.Type.Value == "agent";

        public static bool ReplyFollowsFirstVisitor(List<Message> messages)
        {
            var first = messages.FindIndex(IsVisitor);
            return first >= 0 && messages.Skip(first + 1).Any(IsReply);
        }

        public static long FirstResponse(List<Message> messages)
        {
            var first = messages.FindIndex(IsVisitor);
            var reply = first < 0 ? -1 : messages.FindIndex(first + 1, IsReply);
            return reply < 0 ? 0 : (messages[reply].SentAt.Value - messages[first].SentAt.Value) / 1000;
        }

        public static long AvgResponse(List<Message> messages)
        {
            var responses = new List<long>();
            var previousReply = -1;
            for (var i = 0; i < messages.Count; i++)
            {
                if (!IsReply(messages[i]))
                {
                    continue;
                }

                var run = messages.Skip(previousReply + 1).Take(i - previousReply - 1).Where(IsVisitor).ToList();
                if (run.Count > 0)
                {
                    responses.Add(messages[i].SentAt.Value - run[0].SentAt.Value);
                }

                previousReply = i;
            }

            // The exact mean in seconds, rounded down, equals the mean in whole ms rounded down to seconds.
            return responses.Count == 0 ? 0 : (long)Math.Floor((decimal)responses.Sum() / responses.Count / 1000m);
        }

        public static (bool Chat, bool Missed, bool Triggered, bool Offline, bool Completed, bool Dropped) Flags(
            List<Message> messages, FinishReason reason)
        {
            var offline = reason == FinishReason.Offline;
            var dropped = reason == FinishReason.Inactivity;
            var anyVisitor = messages.Any(IsVisitor);
            var anyReply = messages.Any(IsReply);
            var lastVisitor = messages.FindLastIndex(IsVisitor);
            var lastAnswered = lastVisitor >= 0 && messages.Skip(lastVisitor + 1).Any(IsReply);
            var chat = anyVisitor && anyReply;
            var missed = !offline && anyVisitor
                && (!anyReply || (!lastAnswered && reason != FinishReason.VisitorClose));
            var closed = !offline && !dropped;
            return (chat, missed, messages.Any(IsTrigger), offline, closed && chat && !missed, dropped);
        }
    }
    /// <summary>A random chat: messages in nondecreasing <c>sentAt</c> order, and why it finished.</summary>
    private sealed record Chat(long Start, IReadOnlyList<Step> Steps, FinishReason Reason)
    {
        public List<Message> Messages { get; } = Build(Start, Steps);

        public ChatMetrics Compute() => ChatMetricsCalculator.Compute(Messages, Reason);

        public override string ToString() =>
            $"{Reason} @{Start}: " + string.Join(", ", Steps.Select(s => $"{s.Kind}+{s.Gap}:{Quote(s.Content)}"));

        private static string Quote(string? content) =>
            content is null ? "null" : "\"" + string.Concat(content.Select(c => c < 0x7F && !char.IsControl(c) ? $"{c}" : $"\\u{(int)c:X4}")) + "\"";

        private static List<Message> Build(long start, IReadOnlyList<Step> steps)
        {
            var messages = new List<Message>(steps.Count);
            var at = start;
            foreach (var step in steps)
            {
                at += step.Gap;
                messages.Add(new Message
                {
                    Type = step.Kind switch
                    {
                        Kind.Visitor => "visitor",
                        Kind.Agent => "agent",
                        Kind.System => "system",
                        _ => step.TriggerType,
                    },
                    From = step.Kind == Kind.Visitor ? "visitor:token" : "agent:1",
                    Content = step.Content,
                    SentAt = at,
                    TriggeredBy = step.Kind == Kind.Trigger ? "Trigger" : null,
                });
            }

            return messages;
        }
    }

    private enum Kind
    {
        Visitor,
        Agent,
        System,
        Trigger,
    }

    /// <summary>One message: its kind, milliseconds since the previous one, and its content.</summary>
    private sealed record Step(Kind Kind, int Gap, string? Content, string TriggerType);

    private static class Chats
    {
        private static readonly string[] Words = ["hi", "Hello,", "?", "ok.", "žluťoučký", "日本語", "😀", "👍🏽", "a-b", "x"];

        private static readonly string[] Spaces = [" ", "  ", "\t", "\n", "\r\n", "\u00A0", "\u2003", "\u3000", "\u2028", "\u0085"];

        private static readonly Gen<Kind> KindGen = Gen.Frequency(
            (4, Gen.Constant(Kind.Visitor)),
            (4, Gen.Constant(Kind.Agent)),
            (2, Gen.Constant(Kind.System)),
            (1, Gen.Constant(Kind.Trigger)));

        private static readonly Gen<int> AnyGap = Gen.Frequency(
            (2, Gen.Constant(0)),
            (3, Gen.Choose(1, 999)),
            (4, Gen.Choose(1_000, 120_000)));

        private static readonly Gen<string> Tokens =
            from parts in Gen.ListOf(Gen.Zip(Gen.Elements(Spaces), Gen.Elements(Words)), 6)
            from lead in Gen.Elements(Spaces.Append(""))
            from trail in Gen.Elements(Spaces.Append(""))
            select lead + string.Concat(parts.Select(p => p.Item2 + p.Item1)) + trail;

        private static readonly Gen<string> RandomChars =
            Gen.ArrayOf(Gen.Choose(0, 0xFFFF).Select(c => (char)c)).Select(cs => new string(cs));

        private static readonly Gen<string?> ContentGen = Gen.Frequency(
            (1, Gen.Constant<string?>(null)),
            (1, Gen.Constant<string?>("")),
            (6, Tokens.Select(t => (string?)t)),
            (2, RandomChars.Select(t => (string?)t)));

        /// <summary>Gaps of 0 ms upward: replies in the same second, same millisecond, or much later.</summary>
        public static Arbitrary<Chat> Any { get; } = Arb.From(ChatGen(AnyGap), Shrink);

        /// <summary>Strictly increasing <c>sentAt</c>, at least a second apart.</summary>
        public static Arbitrary<Chat> SecondApart { get; } = Arb.From(ChatGen(Gen.Choose(1_000, 120_000)), Shrink);

        private static Gen<Chat> ChatGen(Gen<int> gaps) =>
            from start in Gen.Choose(0, 2_000_000).Select(s => 1_400_000_000_000L + (s * 1_000L))
            from steps in Gen.ListOf(StepGen(gaps))
            from reason in Gen.Elements(Enum.GetValues<FinishReason>())
            select new Chat(start, steps.ToList(), reason);

        private static Gen<Step> StepGen(Gen<int> gaps) =>
            from kind in KindGen
            from gap in gaps
            from content in ContentGen
            from triggerType in Gen.Frequency((4, Gen.Constant("agent")), (1, Gen.Elements("visitor", "system")))
            select new Step(kind, gap, content, triggerType);

        /// <summary>Drops one message at a time (the others keep their gaps, so the order stays valid).</summary>
        private static IEnumerable<Chat> Shrink(Chat chat)
        {
            for (var i = 0; i < chat.Steps.Count; i++)
            {
                var steps = chat.Steps.Where((_, j) => j != i).ToList();
                yield return new Chat(chat.Start, steps, chat.Reason);
            }
        }
    }
}
