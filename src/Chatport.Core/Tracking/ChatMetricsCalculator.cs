using Chatport.Contract;

namespace Chatport.Tracking;

/// <summary>
/// Computes a finished chat's <see cref="ChatMetrics"/> from its messages (docs/architecture.md, "The tracker's rules").
/// Pure and I/O-free; one pass over the messages, no allocation besides the result.
/// </summary>
/// <remarks>
/// <para>
/// A trigger message (non-null <c>triggeredBy</c>) is automated: whatever its <c>type</c> it is neither a
/// visitor message nor an agent reply, it does not end a run, and it is left out of the counts.
/// </para>
/// <para>
/// <c>avgResponse</c> is the mean in whole milliseconds (rounded down), then rounded down to seconds.
/// For non-negative times that equals flooring the exact mean in seconds: ⌊⌊s/n⌋/1000⌋ = ⌊s/(1000n)⌋.
/// </para>
/// </remarks>
public static class ChatMetricsCalculator
{
    private const long MillisecondsPerSecond = 1000;

    /// <summary>Computes the metrics and flags of a chat that finished for <paramref name="reason"/>.</summary>
    /// <param name="messages">The chat's messages, ordered by <c>sentAt</c>; a message without one counts as 0.</param>
    /// <param name="reason">Why the chat finished.</param>
    public static ChatMetrics Compute(IReadOnlyList<Message> messages, FinishReason reason)
    {
        ArgumentNullException.ThrowIfNull(messages);

        var count = messages.Count;
        long beginAt = count > 0 ? SentAt(messages[0]) : 0;
        long endAt = count > 0 ? SentAt(messages[count - 1]) : 0;

        var anyVisitor = false;
        var anyReply = false;
        var anyTrigger = false;
        long messagesCount = 0;
        long wordsCount = 0;

        // The open run: visitor messages not yet answered by an agent reply.
        var runOpen = false;
        long runStart = 0;
        long runCount = 0;
        long responseSumMs = 0;
        long firstResponseMs = 0;

        for (var i = 0; i < count; i++)
        {
            var message = messages[i];
            if (message.TriggeredBy is { HasValue: true, Value: not null })
            {
                anyTrigger = true;
                continue;
            }

            messagesCount++;
            wordsCount += CountWords(message.Content.Value);

            var type = message.Type.Value;
            if (string.Equals(type, "visitor", StringComparison.Ordinal))
            {
                anyVisitor = true;
                if (!runOpen)
                {
                    runOpen = true;
                    runStart = SentAt(message);
                }
            }
            else if (string.Equals(type, "agent", StringComparison.Ordinal))
            {
                anyReply = true;
                if (runOpen)
                {
                    var responseMs = SentAt(message) - runStart;
                    if (runCount == 0)
                    {
                        // The first run starts at the first visitor message.
                        firstResponseMs = responseMs;
                    }

                    responseSumMs += responseMs;
                    runCount++;
                    runOpen = false;
                }
            }
        }

        var isOffline = reason == FinishReason.Offline;
        var isDropped = reason == FinishReason.Inactivity;
        var isClosed = reason is FinishReason.VisitorClose or FinishReason.AgentClose or FinishReason.SystemClose;
        var isChat = anyVisitor && anyReply;

        // runOpen: the last visitor message has no agent reply after it.
        var isMissed = !isOffline && anyVisitor
            && (!anyReply || (runOpen && reason != FinishReason.VisitorClose));
        var isCompleted = isClosed && isChat && !isMissed;

        var avgResponse = runCount == 0 ? 0 : ToSeconds(FloorDiv(responseSumMs, runCount));

        return new ChatMetrics(
            BeginAt: beginAt,
            EndAt: endAt,
            IsChat: isChat,
            IsMissed: isMissed,
            IsTriggered: anyTrigger,
            IsOffline: isOffline,
            IsCompleted: isCompleted,
            IsDropped: isDropped,
            Duration: ToSeconds(endAt - beginAt),
            AvgResponse: avgResponse,
            FirstResponse: ToSeconds(firstResponseMs),
            MessagesCount: messagesCount,
            WordsCount: wordsCount);
    }

    /// <summary>Counts the tokens of <paramref name="text"/> separated by any Unicode whitespace.</summary>
    /// <param name="text">The content; <c>null</c> has no words.</param>
    public static int CountWords(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }

        var words = 0;
        var inWord = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                inWord = false;
            }
            else if (!inWord)
            {
                inWord = true;
                words++;
            }
        }

        return words;
    }

    private static long SentAt(Message message) => message.SentAt.HasValue ? message.SentAt.Value : 0;

    private static long ToSeconds(long milliseconds) => FloorDiv(milliseconds, MillisecondsPerSecond);

    /// <summary>Division rounded toward negative infinity (only reachable with misordered input).</summary>
    private static long FloorDiv(long dividend, long divisor)
    {
        var quotient = Math.DivRem(dividend, divisor, out var remainder);
        return remainder != 0 && (remainder < 0) != (divisor < 0) ? quotient - 1 : quotient;
    }
}
