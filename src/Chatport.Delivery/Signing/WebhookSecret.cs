using System.Diagnostics;
using System.Security.Cryptography;

namespace Chatport.Delivery.Signing;

/// <summary>
/// A Standard Webhooks symmetric signing secret: random bytes, serialized as <c>whsec_</c> followed by their
/// base64 encoding. After the specification, a secret holds 24 to 64 bytes (192 to 512 bits).
/// </summary>
/// <remarks>
/// <see cref="ToString"/> returns the serialized secret itself (that is what is shown to the receiver once and
/// stored); no exception message of this type ever contains key material.
/// </remarks>
[DebuggerDisplay("whsec_… ({_key.Length} bytes)")]
public sealed class WebhookSecret
{
    /// <summary>The prefix that marks a serialized Standard Webhooks symmetric secret.</summary>
    public const string Prefix = "whsec_";

    /// <summary>The smallest key size the specification allows, in bytes (192 bits).</summary>
    public const int MinKeyBytes = 24;

    /// <summary>The largest key size the specification allows, in bytes (512 bits).</summary>
    public const int MaxKeyBytes = 64;

    /// <summary>The key size <see cref="Generate"/> uses, in bytes (256 bits).</summary>
    public const int GeneratedKeyBytes = 32;

    private const int MaxEncodedChars = 4 * ((MaxKeyBytes + 2) / 3);

    private readonly byte[] _key;

    private WebhookSecret(byte[] key) => _key = key;

    /// <summary>The raw HMAC key.</summary>
    internal ReadOnlySpan<byte> Key => _key;

    // The last HMAC state this thread used, with the secret it is keyed with: one destination's deliveries reuse it
    // instead of setting up OpenSSL's HMAC (fetch, key schedule) for every signature.
    [ThreadStatic]
    private static (WebhookSecret Secret, IncrementalHash Hash)? t_hmac;

    /// <summary>Writes HMAC-SHA256(<paramref name="content"/>) under this secret into <paramref name="destination"/> (32 bytes).</summary>
    internal void Hmac(ReadOnlySpan<byte> content, Span<byte> destination)
    {
        if (t_hmac is not { } cached || !ReferenceEquals(cached.Secret, this))
        {
            t_hmac?.Hash.Dispose();
            cached = (this, IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key));
            t_hmac = cached;
        }
        cached.Hash.AppendData(content);
        if (!cached.Hash.TryGetHashAndReset(destination, out var written) || written != HMACSHA256.HashSizeInBytes)
        {
            throw new InvalidOperationException("An HMAC did not fit its buffer.");
        }
    }

    /// <summary>
    /// Parses a serialized secret: <c>whsec_</c> followed by standard base64 (with <c>=</c> padding) of 24 to
    /// 64 bytes. Leading and trailing white space (a newline left by a secrets file, say) is ignored.
    /// </summary>
    /// <param name="text">The serialized secret.</param>
    /// <returns>The secret.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">
    /// <paramref name="text"/> lacks the <c>whsec_</c> prefix, is not valid base64, or has the wrong size. The
    /// message never repeats the text.
    /// </exception>
    public static WebhookSecret Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.AsSpan().Trim();
        if (!trimmed.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new FormatException(
                $"A webhook secret must be '{Prefix}' followed by base64 (the Standard Webhooks form); "
                + $"this one does not start with '{Prefix}'.");
        }

        var encoded = trimmed[Prefix.Length..];
        if (encoded.IsEmpty)
        {
            throw new FormatException($"A webhook secret has no key after '{Prefix}'.");
        }

        // Convert's base64 decoder skips inner white space; a secret must be one unbroken token.
        if (encoded.ContainsAny(" \t\r\n\f\v"))
        {
            throw new FormatException($"A webhook secret must not contain white space after '{Prefix}'.");
        }

        // Base64 of up to 64 bytes is at most 88 characters; anything longer is too long once decoded.
        if (encoded.Length > MaxEncodedChars)
        {
            throw new FormatException(
                $"A webhook secret must hold {MinKeyBytes} to {MaxKeyBytes} bytes once base64-decoded; this one is longer.");
        }

        // 88 characters decode to at most 66 bytes, so every over-long key still decodes and gets the size message.
        Span<byte> buffer = stackalloc byte[MaxEncodedChars / 4 * 3];
        try
        {
            if (!Convert.TryFromBase64Chars(encoded, buffer, out var written))
            {
                throw new FormatException(
                    $"The key after '{Prefix}' in a webhook secret is not valid base64 (standard alphabet A-Z a-z 0-9 + /, '=' padding).");
            }

            if (written is < MinKeyBytes or > MaxKeyBytes)
            {
                throw new FormatException(
                    $"A webhook secret must hold {MinKeyBytes} to {MaxKeyBytes} bytes once base64-decoded "
                    + $"(the Standard Webhooks guidance); this one holds {written} bytes.");
            }

            return new WebhookSecret(buffer[..written].ToArray());
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }

    /// <summary>Creates a new secret of <see cref="GeneratedKeyBytes"/> cryptographically random bytes.</summary>
    /// <returns>The new secret.</returns>
    public static WebhookSecret Generate() => new(RandomNumberGenerator.GetBytes(GeneratedKeyBytes));

    /// <summary>Returns the serialized secret, <c>whsec_</c> followed by the base64 of the key.</summary>
    /// <returns>The text that <see cref="Parse"/> reads back into an equal secret.</returns>
    public override string ToString() => Prefix + Convert.ToBase64String(_key);
}
