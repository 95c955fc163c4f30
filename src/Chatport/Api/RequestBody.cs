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
    /// The body in a buffer rented from the shared pool, or null when it is larger than <paramref name="maxBytes"/>.
    /// For bodies whose bytes are copied out before the request ends (an import's conversations, a request's
    /// events): a large body is then not a fresh large-object-heap array per request, each of which counts towards
    /// the next full (gen 2) collection.
    /// </summary>
    public static async Task<PooledBody?> ReadPooledAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }
        if (request.ContentLength is not { } length)
        {
            return await ReadChunkedAsync(request.Body, maxBytes, cancellationToken) is { } chunked ? new PooledBody(chunked, chunked.Length, pooled: false) : null;
        }
        var buffer = ArrayPool<byte>.Shared.Rent((int)length);
        try
        {
            return new PooledBody(buffer, await ReadIntoAsync(request.Body, buffer.AsMemory(0, (int)length), cancellationToken), pooled: true);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <summary>
    /// Content-Length given: read straight into an array of exactly that size, not zeroed first. It is the body's one
    /// allocation, where a growing buffer would allocate again at each growth and once more for the final copy — for a
    /// large import, each of them on the large-object heap.
    /// </summary>
    private static async Task<byte[]> ReadKnownLengthAsync(Stream body, int length, CancellationToken cancellationToken)
    {
        var buffer = length == 0 ? [] : GC.AllocateUninitializedArray<byte>(length); // every byte is read into it
        var total = await ReadIntoAsync(body, buffer, cancellationToken);
        return total == length ? buffer : buffer[..total];
    }

    /// <summary>Fills <paramref name="buffer"/> from the body; the bytes read (fewer only if the body ended early).</summary>
    private static async Task<int> ReadIntoAsync(Stream body, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await body.ReadAsync(buffer[total..], cancellationToken);
            if (read == 0)
            {
                // Kestrel fails a request whose body ends before its Content-Length; this is only a guard.
                break;
            }
            total += read;
        }
        return total;
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

/// <summary>A request body in a (possibly rented) buffer; disposing returns a rented buffer to the pool.</summary>
internal sealed class PooledBody(byte[] buffer, int length, bool pooled) : IDisposable
{
    private byte[]? _buffer = buffer;

    public int Length { get; } = length;

    /// <summary>The body's bytes; not to be kept past <see cref="Dispose"/>.</summary>
    public ReadOnlyMemory<byte> Memory => (_buffer ?? throw new ObjectDisposedException(nameof(PooledBody))).AsMemory(0, Length);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } rented && pooled)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
