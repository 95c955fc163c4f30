using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Chatport.Tests.Faults;

/// <summary>The seed sample (schemas/examples/seed-sample.json) with a chosen <c>channel.id</c>: one distinct conversation per id.</summary>
internal static class SeedBodies
{
    public const long AccountId = 208;

    private const long Marker = 918273645546372819;

    private static readonly Lazy<(string Before, string After)> Template = new(() =>
    {
        var sample = JsonNode.Parse(File.ReadAllText(SeedEvents.SamplePath))!;
        Assert.Equal(AccountId, (long)sample["accountId"]!);
        sample["channel"]!["id"] = Marker;
        var json = sample.ToJsonString();
        var at = json.IndexOf(Marker.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        return (json[..at], json[(at + Marker.ToString(CultureInfo.InvariantCulture).Length)..]);
    });

    /// <summary>One seed-format conversation of account 208 whose <c>channel.id</c> is <paramref name="chatId"/>.</summary>
    public static string Conversation(long chatId) =>
        Template.Value.Before + chatId.ToString(CultureInfo.InvariantCulture) + Template.Value.After;

    public static byte[] ConversationUtf8(long chatId) => Encoding.UTF8.GetBytes(Conversation(chatId));

    /// <summary>A <c>POST /v1/conversations</c> body: an array of one conversation per id.</summary>
    public static string Conversations(IEnumerable<long> chatIds) => "[" + string.Join(",", chatIds.Select(Conversation)) + "]";
}

/// <summary>Distinct chat ids, handed out to any number of threads.</summary>
internal sealed class ChatIds(long first = 1)
{
    private long _last = first - 1;

    public long Next() => Interlocked.Increment(ref _last);

    public long[] Take(int count)
    {
        var last = Interlocked.Add(ref _last, count);
        return [.. Enumerable.Range(0, count).Select(i => last - count + 1 + i)];
    }
}
