namespace Chatport.Delivery.Destinations.File;

/// <summary>A JSONL record: the delivery's body as one line.</summary>
public static class JsonlRecord
{
    /// <summary>
    /// The body as it is, then <c>\n</c>. A body with line breaks (a pretty-printed import) has its whitespace
    /// outside strings taken out first: the same JSON, token for token and escape for escape, on one line (a JSON
    /// string cannot hold a raw line break, so every line break is such whitespace).
    /// </summary>
    public static byte[] Line(ReadOnlySpan<byte> body)
    {
        if (body.IndexOfAny((byte)'\n', (byte)'\r') < 0)
        {
            var line = new byte[body.Length + 1];
            body.CopyTo(line);
            line[^1] = (byte)'\n';
            return line;
        }
        var compact = new byte[body.Length + 1];
        var length = 0;
        var inString = false;
        var escaped = false;
        foreach (var b in body)
        {
            if (inString)
            {
                compact[length++] = b;
                if (escaped)
                {
                    escaped = false;
                }
                else if (b == (byte)'\\')
                {
                    escaped = true;
                }
                else if (b == (byte)'"')
                {
                    inString = false;
                }
            }
            else if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                compact[length++] = b;
                inString = b == (byte)'"';
            }
        }
        compact[length++] = (byte)'\n';
        return compact.AsSpan(0, length).ToArray();
    }
}
