using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Chatport.LoadHarness;

/// <summary>
/// Seed-format conversations made from <c>schemas/examples/seed-sample.json</c> (copied beside the binary):
/// the sample with the bench account's <c>accountId</c> and <c>channel.id</c> = the given id, as compact JSON.
/// The template is split around the id once, so making one costs a few copies.
/// </summary>
internal sealed class Conversations
{
    private const long Placeholder = 987_654_321_987_654;

    private readonly byte[] _prefix;
    private readonly byte[] _suffix;

    public Conversations(long accountId)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "seed-sample.json");
        var sample = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        sample["accountId"] = accountId;
        sample["channel"]!["id"] = Placeholder;
        var text = sample.ToJsonString();
        var marker = Placeholder.ToString(CultureInfo.InvariantCulture);
        var at = text.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0 || text.IndexOf(marker, at + 1, StringComparison.Ordinal) >= 0)
        {
            throw new InvalidOperationException("The sample conversation could not be turned into a template.");
        }
        _prefix = Encoding.UTF8.GetBytes(text[..at]);
        _suffix = Encoding.UTF8.GetBytes(text[(at + marker.Length)..]);
    }

    /// <summary>The size of one conversation, in bytes (ids of 6 digits).</summary>
    public int ApproximateSize => _prefix.Length + _suffix.Length + 6;

    /// <summary>One conversation, as the body of a request.</summary>
    public byte[] One(long id)
    {
        using var stream = new MemoryStream(ApproximateSize + 16);
        Write(stream, id);
        return stream.ToArray();
    }

    /// <summary>A JSON array of the conversations <paramref name="firstId"/> to <paramref name="firstId"/> + count − 1.</summary>
    public byte[] Batch(long firstId, int count)
    {
        using var stream = new MemoryStream(((ApproximateSize + 8) * count) + 2);
        stream.WriteByte((byte)'[');
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                stream.WriteByte((byte)',');
            }
            Write(stream, firstId + i);
        }
        stream.WriteByte((byte)']');
        return stream.ToArray();
    }

    private void Write(MemoryStream stream, long id)
    {
        stream.Write(_prefix);
        Span<byte> digits = stackalloc byte[20];
        id.TryFormat(digits, out var written, default, CultureInfo.InvariantCulture);
        stream.Write(digits[..written]);
        stream.Write(_suffix);
    }
}
