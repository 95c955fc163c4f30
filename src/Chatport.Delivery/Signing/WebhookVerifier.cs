using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Chatport.Delivery.Signing;

/// <summary>
/// Verifies a Standard Webhooks delivery: the three <c>webhook-*</c> headers are present, the timestamp is
/// within the tolerance of <c>now</c> (replay protection), and at least one <c>v1</c> signature of the header
/// matches, compared in constant time. Other signature versions (such as the asymmetric <c>v1a</c>) are ignored.
/// </summary>
public static class WebhookVerifier
{
    /// <summary>The error when the <c>webhook-id</c> header is absent or empty.</summary>
    internal const string MissingId = "missing webhook-id header";

    /// <summary>The error when the <c>webhook-timestamp</c> header is absent or empty.</summary>
    internal const string MissingTimestamp = "missing webhook-timestamp header";

    /// <summary>The error when the <c>webhook-signature</c> header is absent or empty.</summary>
    internal const string MissingSignature = "missing webhook-signature header";

    /// <summary>The error when the <c>webhook-timestamp</c> header is not integer Unix seconds.</summary>
    internal const string InvalidTimestamp = "invalid webhook-timestamp header (expected integer Unix seconds)";

    /// <summary>The error when the timestamp is older than the tolerance allows.</summary>
    internal const string TooOld = "timestamp too old";

    /// <summary>The error when the timestamp is further ahead than the tolerance allows.</summary>
    internal const string TooNew = "timestamp too far in the future";

    /// <summary>The error when no <c>v1</c> signature of the header matches.</summary>
    internal const string NoMatch = "no signature matches";

    // The results are immutable, so a refused delivery allocates nothing either.
    private static readonly WebhookVerification MissingIdResult = WebhookVerification.Invalid(MissingId);
    private static readonly WebhookVerification MissingTimestampResult = WebhookVerification.Invalid(MissingTimestamp);
    private static readonly WebhookVerification MissingSignatureResult = WebhookVerification.Invalid(MissingSignature);
    private static readonly WebhookVerification InvalidTimestampResult = WebhookVerification.Invalid(InvalidTimestamp);
    private static readonly WebhookVerification TooOldResult = WebhookVerification.Invalid(TooOld);
    private static readonly WebhookVerification TooNewResult = WebhookVerification.Invalid(TooNew);
    private static readonly WebhookVerification NoMatchResult = WebhookVerification.Invalid(NoMatch);

    /// <summary>Verifies one delivery against one secret.</summary>
    /// <param name="id">The <c>webhook-id</c> header value.</param>
    /// <param name="timestamp">The <c>webhook-timestamp</c> header value: integer Unix seconds.</param>
    /// <param name="signatureHeader">
    /// The <c>webhook-signature</c> header value: space-separated signatures; each <c>v1,&lt;base64&gt;</c> is
    /// tried, any other version is skipped.
    /// </param>
    /// <param name="body">The exact bytes of the request body, as received (never re-serialized).</param>
    /// <param name="secret">The secret shared with the sender.</param>
    /// <param name="now">The receiver's current time (from its <see cref="TimeProvider"/>).</param>
    /// <param name="tolerance">
    /// How far the timestamp may be from <paramref name="now"/> either way; the bound itself is accepted
    /// (the reference libraries use 5 minutes).
    /// </param>
    /// <returns>
    /// <see cref="WebhookVerification.Valid"/>, or an invalid result whose error is one of
    /// "missing webhook-id header", "missing webhook-timestamp header", "missing webhook-signature header",
    /// "invalid webhook-timestamp header (expected integer Unix seconds)", "timestamp too old",
    /// "timestamp too far in the future" or "no signature matches".
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="secret"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tolerance"/> is negative.</exception>
    public static WebhookVerification Verify(
        string? id,
        string? timestamp,
        string? signatureHeader,
        ReadOnlySpan<byte> body,
        WebhookSecret secret,
        DateTimeOffset now,
        TimeSpan tolerance)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentOutOfRangeException.ThrowIfLessThan(tolerance, TimeSpan.Zero);

        if (string.IsNullOrEmpty(id))
        {
            return MissingIdResult;
        }

        if (string.IsNullOrEmpty(timestamp))
        {
            return MissingTimestampResult;
        }

        if (string.IsNullOrEmpty(signatureHeader))
        {
            return MissingSignatureResult;
        }

        // Digits only: no sign, no white space, no fraction, no thousands separator.
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var timestampSeconds))
        {
            return InvalidTimestampResult;
        }

        // Whole seconds on both sides, as the header carries them. For a whole-second age and a tolerance of
        // T seconds, "age > T" is the same as "age > floor(T)", so a fractional tolerance needs no rounding.
        // The bounds are written so that nothing overflows: |nowSeconds| < 2^38 and toleranceSeconds < 2^40,
        // while timestampSeconds may be anything up to long.MaxValue.
        var nowSeconds = now.ToUnixTimeSeconds();
        var toleranceSeconds = tolerance.Ticks / TimeSpan.TicksPerSecond;
        if (timestampSeconds < nowSeconds - toleranceSeconds)
        {
            return TooOldResult;
        }

        if (timestampSeconds > nowSeconds + toleranceSeconds)
        {
            return TooNewResult;
        }

        Span<byte> hash = stackalloc byte[WebhookSignedContent.HashBytes];
        WebhookSignedContent.ComputeHashes(id, timestampSeconds, body, new ReadOnlySpan<WebhookSecret>(in secret), hash);

        // Compare the canonical base64 text, as the reference libraries do: it is strict (a variant spelling of
        // the same bytes, such as non-zero padding bits, does not match) and needs no decoding of the input.
        Span<char> expected = stackalloc char[WebhookSignedContent.SignatureChars];
        WebhookSignedContent.WriteSignature(hash, expected);
        var expectedBytes = MemoryMarshal.AsBytes((ReadOnlySpan<char>)expected);

        var header = signatureHeader.AsSpan();
        foreach (var range in header.Split(' '))
        {
            // Empty entries (repeated spaces) and other versions, such as v1a, are skipped.
            var entry = header[range];
            if (entry.Length == WebhookSignedContent.SignatureChars
                && entry.StartsWith(WebhookSignedContent.VersionPrefix, StringComparison.Ordinal)
                && CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(entry), expectedBytes))
            {
                return WebhookVerification.Valid;
            }
        }

        return NoMatchResult;
    }
}
