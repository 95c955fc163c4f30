using Chatport.Contract;
using Chatport.Transcripts;

namespace Chatport.Tests.Transcripts;

public sealed class TranscriptRendererTests
{
    private static Conversation Seed => ContractJson.Parse(Samples.Seed);

    [Fact]
    public void The_seed_sample_reads_as_a_transcript_in_UTC()
    {
        Assert.Equal("""
            Chat 55039 (account 208)
            From 2015-03-27 15:33:59 to 2015-03-27 15:34:36 (UTC)
            Visitor: Dusan Kmet <dusan@domain.com>
            Duration: 36 s, first response: 14 s, average response: 14 s
            Messages: 5, words: 11, rating: 5
            Completed: yes, missed: no, offline: no, dropped: no, triggered: yes
            Pages visited:
              http://developers.smartsupp.com/smartsupp/hook-post (POST Hook · Smartsupp)
              http://developers.smartsupp.com (API · Smartsupp)

            2015-03-27 15:33:59  Dusan Kmet (visitor): Hello
            2015-03-27 15:34:06  John Doe joined the chat.
            2015-03-27 15:34:09  Trigger "Test Trigger": This is triggered message
            2015-03-27 15:34:13  John Doe (agent): Hi, how can i help you ?
            2015-03-27 15:34:33  Dusan Kmet (visitor): tanks.
            2015-03-27 15:34:36  Dusan Kmet closed the chat.

            """.ReplaceLineEndings("\n"), TranscriptRenderer.RenderText(Seed, TimeZoneInfo.Utc));
    }

    [Fact]
    public void Times_are_shown_in_the_given_zone()
    {
        var prague = TimeZoneInfo.FindSystemTimeZoneById("Europe/Prague");

        var text = TranscriptRenderer.RenderText(Seed, prague);

        Assert.Contains("From 2015-03-27 16:33:59 to 2015-03-27 16:34:36 (Europe/Prague)\n", text, StringComparison.Ordinal);
        Assert.Contains("\n2015-03-27 16:33:59  Dusan Kmet (visitor): Hello\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("close.agentClose", "John Doe", "John Doe closed the chat.")]
    [InlineData("close.systemClose", "", "The system closed the chat.")]
    [InlineData("close.visitorClose", null, "The visitor closed the chat.")]
    [InlineData("agent.join", "Jane", "Jane joined the chat.")]
    [InlineData("something.new", "Jane", "something.new")]
    public void System_codes_read_as_sentences(string code, string? name, string expected)
    {
        var conversation = Seed;
        conversation.Messages = [new Message { Type = "system", Name = name, From = "system", Content = code, SentAt = 1427470476687, TriggeredBy = null }];

        var text = TranscriptRenderer.RenderText(conversation, TimeZoneInfo.Utc);

        Assert.EndsWith($"\n\n2015-03-27 15:34:36  {expected}\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_message_of_several_lines_is_indented_under_its_first_and_an_unrated_chat_says_so()
    {
        var conversation = Seed;
        conversation.Channel!.Rating = null;
        conversation.Messages = [new Message { Type = "agent", Name = "", From = "agent:3", Content = "one\r\ntwo\nthree", SentAt = 1427470439703 }];

        var text = TranscriptRenderer.RenderText(conversation, TimeZoneInfo.Utc);

        Assert.Contains("rating: none\n", text, StringComparison.Ordinal);
        Assert.EndsWith("\n\n2015-03-27 15:33:59  Agent (agent): one\n    two\n    three\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_HTML_transcript_has_the_same_lines_with_every_text_encoded()
    {
        var conversation = Seed;
        conversation.Visitor.Value!.Name = "<script>alert('x')</script>";
        conversation.Paths = new List<PagePath> { new() { Url = "javascript:alert(1)", Title = "t" }, new() { Url = "https://a.example/?q=\"x\"&y=1", Title = null } };
        conversation.Messages = [
            new Message { Type = "visitor", Name = "", From = "visitor:1", Content = "a < b\nand \"c\" & d", SentAt = 1427470439703, TriggeredBy = null },
            new Message { Type = "system", Name = "John Doe", From = "system", Content = "close.agentClose", SentAt = 1427470476687, TriggeredBy = null },
        ];

        var html = TranscriptRenderer.RenderHtml(conversation, TimeZoneInfo.Utc);

        Assert.Equal("""
            <article class="chatport-transcript">
            <header>
            <h1>Chat 55039 (account 208)</h1>
            <p>From 2015-03-27 15:33:59 to 2015-03-27 15:34:36 (UTC)</p>
            <p>Visitor: &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &lt;dusan@domain.com&gt;</p>
            <p>Duration: 36 s, first response: 14 s, average response: 14 s</p>
            <p>Messages: 5, words: 11, rating: 5</p>
            <p>Completed: yes, missed: no, offline: no, dropped: no, triggered: yes</p>
            <p>Pages visited:</p>
            <ul class="pages">
            <li>javascript:alert(1) (t)</li>
            <li><a href="https://a.example/?q=&quot;x&quot;&amp;y=1">https://a.example/?q=&quot;x&quot;&amp;y=1</a></li>
            </ul>
            </header>
            <ol class="messages">
            <li class="visitor"><time>2015-03-27 15:33:59</time> <b>&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; (visitor)</b>: a &lt; b<br>and &quot;c&quot; &amp; d</li>
            <li class="system"><time>2015-03-27 15:34:36</time> John Doe closed the chat.</li>
            </ol>
            </article>

            """.ReplaceLineEndings("\n"), html);
    }
}
