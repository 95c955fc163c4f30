using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Chatport.Delivery.Signing;

/// <summary>
/// Builds the bytes Standard Webhooks signs, <c>{id}.{timestamp}.{body}</c> (UTF-8), and computes their
/// HMAC-SHA256 under one or more secrets without concatenating strings: the content goes into a stack buffer
/// when small, a pooled one otherwise, and is hashed once per secret.
/// </summary>
internal static class WebhookSignedContent
{
    /// <summary>The size of one HMAC-SHA256 signature, in bytes.</summary>
    internal const int HashBytes = HMACSHA256.HashSizeInBytes;

    /// <summary>The length of the base64 form of one signature (32 bytes → 44 characters).</summary>
    internal const int EncodedHashChars = (HashBytes + 2) / 3 * 4;

    /// <summary>The version tag of a symmetric signature, including its comma.</summary>
    internal const string VersionPrefix = "v1,";

    /// <summary>The length of one serialized signature, <c>v1,</c> and its base64.</summary>
    internal const int SignatureChars = 3 + EncodedHashChars;

    private const int StackLimit = 512;

    // long.MinValue has 20 characters; a valid timestamp (non-negative) has at most 19.
    private const int MaxTimestampBytes = 20;

    /// <summary>
    /// Writes HMAC-SHA256(<c>{id}.{timestamp}.{body}</c>) under each of <paramref name="secrets"/>, in order,
    /// into consecutive <see cref="HashBytes"/>-byte slots of <paramref name="destination"/>.
    /// </summary>
    internal static void ComputeHashes(
        string messageId,
        long timestampSeconds,
        ReadOnlySpan<byte> body,
        ReadOnlySpan<WebhookSecret> secrets,
        Span<byte> destination)
    {
        var maxLength = checked(Encoding.UTF8.GetByteCount(messageId) + MaxTimestampBytes + 2 + body.Length);
        byte[]? rented = null;
        Span<byte> buffer = maxLength <= StackLimit
            ? stackalloc byte[StackLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(maxLength));
        var length = 0;
        try
        {
            length = Write(messageId, timestampSeconds, body, buffer);
            var content = buffer[..length];
            for (var i = 0; i < secrets.Length; i++)
            {
                secrets[i].Hmac(content, destination.Slice(i * HashBytes, HashBytes));
            }
        }
        finally
        {
            if (rented is not null)
            {
                // The body is a customer's conversation; do not leave it in a shared pool.
                CryptographicOperations.ZeroMemory(rented.AsSpan(0, length));
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Writes <c>v1,</c> and the base64 of <paramref name="hash"/> into <paramref name="destination"/>.</summary>
    internal static void WriteSignature(ReadOnlySpan<byte> hash, Span<char> destination)
    {
        VersionPrefix.CopyTo(destination);
        if (!Convert.TryToBase64Chars(hash, destination[VersionPrefix.Length..], out var written)
            || written != EncodedHashChars)
        {
            throw new InvalidOperationException("A signature did not fit its buffer.");
        }
    }

    private static int Write(string messageId, long timestampSeconds, ReadOnlySpan<byte> body, Span<byte> destination)
    {
        var length = Encoding.UTF8.GetBytes(messageId, destination);
        destination[length++] = (byte)'.';
        if (!timestampSeconds.TryFormat(destination[length..], out var digits, default, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("The timestamp did not fit its buffer.");
        }

        length += digits;
        destination[length++] = (byte)'.';
        body.CopyTo(destination[length..]);
        return length + body.Length;
    }
}
