namespace Chatport.Delivery.Signing;

/// <summary>
/// Signs webhook deliveries after the Standard Webhooks specification: HMAC-SHA256 over
/// <c>{id}.{timestamp}.{body}</c>, serialized as <c>v1,&lt;base64&gt;</c>.
/// </summary>
public static class WebhookSigner
{
    // Up to this many secrets, the hashes live on the stack; a rotation uses two.
    private const int StackSecrets = 8;

    /// <summary>Signs one delivery with one secret.</summary>
    /// <param name="messageId">
    /// The <c>webhook-id</c> of the delivery: not empty, and without <c>.</c> (the specification forbids it
    /// because <c>.</c> delimits the signed content).
    /// </param>
    /// <param name="timestampSeconds">The <c>webhook-timestamp</c> of the attempt, in Unix seconds (not negative).</param>
    /// <param name="body">The exact bytes of the request body.</param>
    /// <param name="secret">The signing secret.</param>
    /// <returns>The signature, <c>v1,</c> followed by the base64 of the 32-byte HMAC-SHA256.</returns>
    /// <exception cref="ArgumentException"><paramref name="messageId"/> is empty or contains <c>.</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timestampSeconds"/> is negative.</exception>
    public static string Sign(string messageId, long timestampSeconds, ReadOnlySpan<byte> body, WebhookSecret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        Validate(messageId, timestampSeconds);

        Span<byte> hash = stackalloc byte[WebhookSignedContent.HashBytes];
        WebhookSignedContent.ComputeHashes(messageId, timestampSeconds, body, new ReadOnlySpan<WebhookSecret>(in secret), hash);
        Span<char> chars = stackalloc char[WebhookSignedContent.SignatureChars];
        WebhookSignedContent.WriteSignature(hash, chars);
        return new string(chars);
    }

    /// <summary>
    /// Builds the <c>webhook-signature</c> header value: one signature per secret, in the given order,
    /// separated by single spaces. During a secret rotation pass the new and the previous secret, so that
    /// receivers holding either one can verify.
    /// </summary>
    /// <param name="messageId">The <c>webhook-id</c> of the delivery (not empty, without <c>.</c>).</param>
    /// <param name="timestampSeconds">The <c>webhook-timestamp</c> of the attempt, in Unix seconds (not negative).</param>
    /// <param name="body">The exact bytes of the request body.</param>
    /// <param name="secrets">The signing secrets, at least one.</param>
    /// <returns>The header value, e.g. <c>v1,AAA… v1,BBB…</c>.</returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="secrets"/> is empty or holds <see langword="null"/>, or <paramref name="messageId"/> is
    /// empty or contains <c>.</c>.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timestampSeconds"/> is negative.</exception>
    public static string SignatureHeader(
        string messageId,
        long timestampSeconds,
        ReadOnlySpan<byte> body,
        IEnumerable<WebhookSecret> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        Validate(messageId, timestampSeconds);
        var list = secrets as WebhookSecret[] ?? [.. secrets];
        if (list.Length == 0)
        {
            throw new ArgumentException("At least one webhook secret is needed to sign.", nameof(secrets));
        }

        foreach (var secret in list)
        {
            if (secret is null)
            {
                throw new ArgumentException("The webhook secrets must not contain null.", nameof(secrets));
            }
        }

        var hashBytes = checked(list.Length * WebhookSignedContent.HashBytes);
        Span<byte> hashes = list.Length <= StackSecrets ? stackalloc byte[StackSecrets * WebhookSignedContent.HashBytes] : new byte[hashBytes];
        WebhookSignedContent.ComputeHashes(messageId, timestampSeconds, body, list, hashes);

        var length = checked((list.Length * (WebhookSignedContent.SignatureChars + 1)) - 1);
        return string.Create(length, (ReadOnlySpan<byte>)hashes[..hashBytes], static (chars, state) =>
        {
            var count = state.Length / WebhookSignedContent.HashBytes;
            for (var i = 0; i < count; i++)
            {
                var start = i * (WebhookSignedContent.SignatureChars + 1);
                if (i > 0)
                {
                    chars[start - 1] = ' ';
                }

                WebhookSignedContent.WriteSignature(
                    state.Slice(i * WebhookSignedContent.HashBytes, WebhookSignedContent.HashBytes),
                    chars.Slice(start, WebhookSignedContent.SignatureChars));
            }
        });
    }

    private static void Validate(string messageId, long timestampSeconds)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        if (messageId.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException(
                "A webhook id must not contain '.', which delimits the signed content.", nameof(messageId));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(timestampSeconds);
    }
}
