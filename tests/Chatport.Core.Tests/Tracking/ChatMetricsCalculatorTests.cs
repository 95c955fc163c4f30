using Chatport.Contract;
using Chatport.Tracking;

namespace Chatport.Tests.Tracking;

public sealed class ChatMetricsCalculatorTests
{
    [Fact]
    public void Seed_sample_gives_the_documented_metrics()
    {
        var conversation = ContractJson.Parse(File.ReadAllBytes(SeedSamplePath()));

        var m = ChatMetricsCalculator.Compute(conversation.Messages!, FinishReason.VisitorClose);

        Assert.Equal(
            new ChatMetrics(
                BeginAt: 1427470439703,
                EndAt: 1427470476687,
                IsChat: true,
                IsMissed: false,
                IsTriggered: true,
                IsOffline: false,
                IsCompleted: true,
                IsDropped: false,
                Duration: 36,
                AvgResponse: 14,
                FirstResponse: 14,
                MessagesCount: 5,
                WordsCount: 11),
            m);
        Assert.Equal(conversation.BeginAt.Value, m.BeginAt);
        Assert.Equal(conversation.EndAt.Value, m.EndAt);
    }

    [Fact]
    public void Trigger_message_is_never_a_reply()
    {
        var m = Compute(FinishReason.VisitorClose, V(0, "hi"), T(5_000, "Welcome!"));

        Assert.Equal(0, m.FirstResponse);
        Assert.Equal(0, m.AvgResponse);
        Assert.False(m.IsChat);
        Assert.True(m.IsTriggered);
        Assert.True(m.IsMissed);
        Assert.False(m.IsCompleted);
        Assert.Equal(1, m.MessagesCount);
        Assert.Equal(1, m.WordsCount);
        Assert.Equal(5, m.Duration);
    }

    [Fact]
    public void Trigger_message_does_not_end_a_run()
    {
        var m = Compute(FinishReason.VisitorClose, V(0), T(1_000), A(3_000));

        Assert.Equal(3, m.FirstResponse);
        Assert.Equal(3, m.AvgResponse);
        Assert.True(m.IsChat);
        Assert.True(m.IsTriggered);
    }

    [Fact]
    public void Trigger_message_of_visitor_type_is_not_a_visitor_message()
    {
        var m = Compute(FinishReason.AgentClose, T(0, type: "visitor"), A(2_000));

        Assert.False(m.IsChat);
        Assert.False(m.IsMissed);
        Assert.Equal(0, m.FirstResponse);
        Assert.Equal(1, m.MessagesCount);
    }

    [Fact]
    public void Run_of_several_visitor_messages_is_measured_from_its_first_message()
    {
        var m = Compute(FinishReason.VisitorClose, V(0), V(3_000), V(5_000), A(10_500));

        Assert.Equal(10, m.FirstResponse);
        Assert.Equal(10, m.AvgResponse);
    }

    [Fact]
    public void Several_runs_are_averaged()
    {
        // Runs answered after 2 s, 6 s and 10 s.
        var m = Compute(
            FinishReason.VisitorClose,
            V(0), A(2_000),
            V(10_000), V(11_000), A(16_000),
            V(20_000), A(30_000));

        Assert.Equal(2, m.FirstResponse);
        Assert.Equal(6, m.AvgResponse);
    }

    [Fact]
    public void Average_is_the_mean_in_milliseconds_rounded_down_to_seconds()
    {
        // 2 500 ms and 5 999 ms: mean 4 249.5 ms -> 4 249 ms -> 4 s (not (2 + 5) / 2 = 3).
        var m = Compute(FinishReason.VisitorClose, V(0), A(2_500), V(10_000), A(15_999));

        Assert.Equal(2, m.FirstResponse);
        Assert.Equal(4, m.AvgResponse);
    }

    [Fact]
    public void System_messages_do_not_end_a_run()
    {
        var m = Compute(
            FinishReason.VisitorClose,
            V(0), S(1_000, "agent.join"), V(2_000), S(3_000, "agent.join"), A(7_000));

        Assert.Equal(7, m.FirstResponse);
        Assert.Equal(7, m.AvgResponse);
    }

    [Fact]
    public void Agent_messages_before_the_first_visitor_message_answer_no_run()
    {
        var m = Compute(FinishReason.VisitorClose, A(0, "Hello, can I help?"), V(1_000), A(4_000));

        Assert.Equal(3, m.FirstResponse);
        Assert.Equal(3, m.AvgResponse);
        Assert.True(m.IsCompleted);
    }

    [Fact]
    public void Consecutive_agent_replies_end_one_run()
    {
        var m = Compute(FinishReason.AgentClose, V(0), A(2_000), A(9_000));

        Assert.Equal(2, m.FirstResponse);
        Assert.Equal(2, m.AvgResponse);
    }

    [Fact]
    public void Unanswered_last_visitor_message_closed_by_visitor_is_not_missed()
    {
        var m = Compute(FinishReason.VisitorClose, V(0), A(3_000), V(10_000, "thanks"), Close(12_000, "visitor"));

        Assert.False(m.IsMissed);
        Assert.True(m.IsCompleted);
        Assert.True(m.IsChat);
        Assert.Equal(3, m.AvgResponse);
    }

    [Fact]
    public void Unanswered_last_visitor_message_timed_out_is_missed_and_dropped()
    {
        var m = Compute(FinishReason.Inactivity, V(0), A(3_000), V(10_000, "hello?"));

        Assert.True(m.IsMissed);
        Assert.True(m.IsDropped);
        Assert.False(m.IsCompleted);
        Assert.False(m.IsOffline);
    }

    [Theory]
    [InlineData(FinishReason.AgentClose)]
    [InlineData(FinishReason.SystemClose)]
    public void Unanswered_last_visitor_message_closed_by_agent_or_system_is_missed(FinishReason reason)
    {
        var m = Compute(reason, V(0), A(3_000), V(10_000, "hello?"), Close(12_000, "agent"));

        Assert.True(m.IsMissed);
        Assert.False(m.IsCompleted);
        Assert.False(m.IsDropped);
    }

    [Theory]
    [InlineData(FinishReason.VisitorClose)]
    [InlineData(FinishReason.AgentClose)]
    [InlineData(FinishReason.SystemClose)]
    public void Answered_chat_closed_by_anyone_is_completed(FinishReason reason)
    {
        var m = Compute(reason, V(0), A(3_000), Close(5_000, "agent"));

        Assert.True(m.IsCompleted);
        Assert.False(m.IsMissed);
        Assert.False(m.IsDropped);
        Assert.False(m.IsOffline);
    }

    [Fact]
    public void Offline_message_is_offline_not_missed_not_completed()
    {
        var m = Compute(FinishReason.Offline, V(0, "Please call me back"), V(4_000, "thanks"));

        Assert.True(m.IsOffline);
        Assert.False(m.IsMissed);
        Assert.False(m.IsCompleted);
        Assert.False(m.IsDropped);
        Assert.False(m.IsChat);
        Assert.Equal(2, m.MessagesCount);
        Assert.Equal(5, m.WordsCount);
    }

    [Fact]
    public void Offline_is_never_completed_even_with_a_reply()
    {
        var m = Compute(FinishReason.Offline, V(0), A(1_000));

        Assert.True(m.IsOffline);
        Assert.True(m.IsChat);
        Assert.False(m.IsCompleted);
        Assert.False(m.IsMissed);
    }

    [Fact]
    public void Answered_chat_that_timed_out_is_dropped_not_missed_not_completed()
    {
        var m = Compute(FinishReason.Inactivity, V(0), A(3_000));

        Assert.True(m.IsDropped);
        Assert.False(m.IsMissed);
        Assert.False(m.IsCompleted);
        Assert.True(m.IsChat);
        Assert.Equal(3, m.AvgResponse);
    }

    [Theory]
    [InlineData(FinishReason.VisitorClose)]
    [InlineData(FinishReason.AgentClose)]
    [InlineData(FinishReason.Inactivity)]
    public void No_reply_at_all_is_missed(FinishReason reason)
    {
        var m = Compute(reason, V(0), S(1_000, "agent.join"), V(5_000), Close(9_000, "visitor"));

        Assert.True(m.IsMissed);
        Assert.False(m.IsChat);
        Assert.False(m.IsCompleted);
        Assert.Equal(0, m.FirstResponse);
        Assert.Equal(0, m.AvgResponse);
        Assert.Equal(9, m.Duration);
    }

    [Fact]
    public void No_visitor_message_is_not_missed()
    {
        var m = Compute(FinishReason.AgentClose, A(0, "Hello?"), Close(1_000, "agent"));

        Assert.False(m.IsMissed);
        Assert.False(m.IsChat);
        Assert.False(m.IsCompleted);
    }

    [Theory]
    [InlineData(FinishReason.VisitorClose)]
    [InlineData(FinishReason.AgentClose)]
    [InlineData(FinishReason.SystemClose)]
    [InlineData(FinishReason.Offline)]
    [InlineData(FinishReason.Inactivity)]
    public void No_messages(FinishReason reason)
    {
        var m = ChatMetricsCalculator.Compute([], reason);

        Assert.Equal(
            new ChatMetrics(0, 0, false, false, false, reason == FinishReason.Offline, false, reason == FinishReason.Inactivity, 0, 0, 0, 0, 0),
            m);
    }

    [Theory]
    [InlineData(1_999, 1)]
    [InlineData(1_000, 1)]
    [InlineData(999, 0)]
    [InlineData(0, 0)]
    [InlineData(59_999, 59)]
    public void Milliseconds_are_rounded_down(long replyAt, long seconds)
    {
        var m = Compute(FinishReason.VisitorClose, V(1_000_000), A(1_000_000 + replyAt));

        Assert.Equal(seconds, m.FirstResponse);
        Assert.Equal(seconds, m.AvgResponse);
        Assert.Equal(seconds, m.Duration);
    }

    [Fact]
    public void Begin_and_end_are_the_first_and_last_sentAt()
    {
        var m = Compute(FinishReason.VisitorClose, T(100), V(200), A(1_300), Close(2_150, "visitor"));

        Assert.Equal(100, m.BeginAt);
        Assert.Equal(2_150, m.EndAt);
        Assert.Equal(2, m.Duration);
    }

    [Fact]
    public void Missing_sentAt_counts_as_zero()
    {
        var first = new Message { Type = "visitor", Content = "hi", TriggeredBy = null };
        var m = ChatMetricsCalculator.Compute([first, A(4_500)], FinishReason.VisitorClose);

        Assert.Equal(0, m.BeginAt);
        Assert.Equal(4_500, m.EndAt);
        Assert.Equal(4, m.FirstResponse);
    }

    [Fact]
    public void Absent_triggeredBy_and_absent_content_are_handled()
    {
        var visitor = new Message { Type = "visitor", SentAt = 0 };
        var agent = new Message { Type = "agent", SentAt = 2_000, Content = null };
        var m = ChatMetricsCalculator.Compute([visitor, agent], FinishReason.VisitorClose);

        Assert.False(m.IsTriggered);
        Assert.True(m.IsChat);
        Assert.Equal(2, m.MessagesCount);
        Assert.Equal(0, m.WordsCount);
    }

    [Theory]
    [InlineData(null, 0)]
    [InlineData("", 0)]
    [InlineData("   ", 0)]
    [InlineData("\t\n\r\n ", 0)]
    [InlineData("word", 1)]
    [InlineData("  leading and trailing  ", 3)]
    [InlineData("a\tb\nc  d\r\ne", 5)]
    [InlineData("multiple     spaces", 2)]
    [InlineData("Hi, how can i help you ?", 7)]
    [InlineData("Příliš žluťoučký kůň", 3)]
    [InlineData("日本語のテキスト", 1)]
    [InlineData("a\u00A0b\u2003c\u3000d\u2028e\u0085f", 6)]
    [InlineData("zero\u200Bwidth", 1)]
    [InlineData("😀 🎉", 2)]
    [InlineData("😀🎉", 1)]
    [InlineData("thumbs 👍🏽 up", 3)]
    public void Words_are_tokens_separated_by_any_whitespace(string? content, int words)
    {
        Assert.Equal(words, ChatMetricsCalculator.CountWords(content));

        var m = Compute(FinishReason.VisitorClose, V(0, content));
        Assert.Equal(words, m.WordsCount);
    }

    [Fact]
    public void Words_of_trigger_messages_are_not_counted()
    {
        var m = Compute(
            FinishReason.VisitorClose,
            T(0, "Can we help you with anything?"),
            V(1_000, "yes please"),
            A(2_000, null),
            A(3_000, ""),
            S(4_000, "close.visitorClose"));

        Assert.Equal(4, m.MessagesCount);
        Assert.Equal(3, m.WordsCount);
    }

    private static ChatMetrics Compute(FinishReason reason, params Message[] messages) =>
        ChatMetricsCalculator.Compute(messages, reason);

    private static Message V(long at, string? content = "hello") => Make("visitor", "visitor:token", at, content, null);

    private static Message A(long at, string? content = "hi there") => Make("agent", "agent:3", at, content, null);

    private static Message S(long at, string content) => Make("system", "system", at, content, null);

    private static Message T(long at, string? content = "triggered", string type = "agent") =>
        Make(type, "system", at, content, "Test Trigger");

    private static Message Close(long at, string by) => Make("system", "system", at, $"close.{by}Close", null);

    private static Message Make(string type, string from, long at, string? content, string? trigger) => new()
    {
        Type = type,
        From = from,
        SentAt = at,
        Content = content,
        TriggeredBy = trigger,
    };

    private static string SeedSamplePath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Chatport.slnx")))
            {
                return Path.Combine(dir.FullName, "schemas", "examples", "seed-sample.json");
            }
        }

        throw new InvalidOperationException($"No Chatport.slnx above {AppContext.BaseDirectory}.");
    }
}

public sealed class ConversationKindsTests
{
    [Fact]
    public void All_is_the_four_filterable_kinds()
    {
        Assert.Equal(["completed", "missed", "offline", "dropped"], ConversationKinds.All);
    }

    [Theory]
    [InlineData("completed", true)]
    [InlineData("missed", true)]
    [InlineData("offline", true)]
    [InlineData("dropped", true)]
    [InlineData("chat", true)]
    [InlineData("Completed", false)]
    [InlineData("", false)]
    [InlineData("triggered", false)]
    public void IsKnown(string kind, bool known)
    {
        Assert.Equal(known, ConversationKinds.IsKnown(kind));
    }

    [Fact]
    public void No_flag_is_chat()
    {
        Assert.Equal(["chat"], ConversationKinds.Of(new Channel { IsChat = true, IsTriggered = true }));
        Assert.Equal(["chat"], ConversationKinds.Of(new Channel()));
    }

    [Fact]
    public void Each_flag_gives_its_kind()
    {
        Assert.Equal(["completed"], ConversationKinds.Of(new Channel { IsCompleted = true, IsMissed = false }));
        Assert.Equal(["missed"], ConversationKinds.Of(new Channel { IsMissed = true }));
        Assert.Equal(["offline"], ConversationKinds.Of(new Channel { IsOffline = true }));
        Assert.Equal(["dropped"], ConversationKinds.Of(new Channel { IsDropped = true }));
    }

    [Fact]
    public void Several_flags_give_several_kinds()
    {
        Assert.Equal(["missed", "dropped"], ConversationKinds.Of(new Channel { IsMissed = true, IsDropped = true }));
        Assert.Equal(
            ["completed", "missed", "offline", "dropped"],
            ConversationKinds.Of(new Channel { IsCompleted = true, IsMissed = true, IsOffline = true, IsDropped = true }));
    }

    [Fact]
    public void Seed_sample_is_completed()
    {
        var channel = new Channel { IsChat = true, IsMissed = false, IsTriggered = true, IsOffline = false, IsCompleted = true, IsDropped = false };

        Assert.Equal(["completed"], ConversationKinds.Of(channel));
    }
}
