using System.Buffers;

namespace Chatport.Api;

/// <summary>Reads a request body into memory, refusing it past a size limit without reading it all.</summary>
internal static class RequestBody
{
    /// <summary>The body, or null when it is larger than <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }
        return request.ContentLength is { } length
            ? await ReadKnownLengthAsync(request.Body, (int)length, cancellationToken)
            : await ReadChunkedAsync(request.Body, maxBytes, cancellationToken);
    }

    /// <summary>
    /// Content-Length given: read straight into an array of that size, the one allocation (a large import's body
    /// used to be allocated three times over: buffer, growth, copy, each on the large-object heap), not zeroed first.
    /// </summary>
    private static async Task<byte[]> ReadKnownLengthAsync(Stream body, int length, CancellationToken cancellationToken)
    {
        var buffer = length == 0 ? [] : GC.AllocateUninitializedArray<byte>(length); // every byte is read into it
        var total = 0;
        while (total < length)
        {
            var read = await body.ReadAsync(buffer.AsMemory(total), cancellationToken);
            if (read == 0)
            {
                // Kestrel fails a request whose body ends before its Content-Length; this is only a guard.
                return buffer[..total];
            }
            total += read;
        }
        return buffer;
    }

    private static async Task<byte[]?> ReadChunkedAsync(Stream body, long maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        while (true)
        {
            var memory = buffer.GetMemory(16 * 1024);
            var read = await body.ReadAsync(memory, cancellationToken);
            if (read == 0)
            {
                return buffer.WrittenSpan.ToArray();
            }
            buffer.Advance(read);
            if (buffer.WrittenCount > maxBytes)
            {
                return null;
            }
        }
    }
}
