using System.Globalization;
using Chatport.Delivery.Signing;

namespace Chatport.Tests.Signing;

public sealed class WebhookVerifierTests
{
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);
    private static readonly WebhookSecret Reference = WebhookSecret.Parse(SigningVectors.ReferenceSecret);
    private static readonly byte[] ReferenceBody = SigningVectors.Utf8(SigningVectors.ReferencePayload);
    private static readonly DateTimeOffset ReferenceTime = DateTimeOffset.FromUnixTimeSeconds(SigningVectors.ReferenceTimestamp);
    private static readonly string ReferenceTimestamp = SigningVectors.ReferenceTimestamp.ToString(CultureInfo.InvariantCulture);

    private static WebhookVerification VerifyReference(
        string? id = SigningVectors.ReferenceId,
        string? timestamp = null,
        string? signature = SigningVectors.ReferenceSignature,
        byte[]? body = null,
        WebhookSecret? secret = null,
        DateTimeOffset? now = null,
        TimeSpan? tolerance = null) =>
        WebhookVerifier.Verify(
            id,
            timestamp ?? ReferenceTimestamp,
            signature,
            body ?? ReferenceBody,
            secret ?? Reference,
            now ?? ReferenceTime,
            tolerance ?? Tolerance);

    private static void AssertInvalid(WebhookVerification result, string error)
    {
        Assert.False(result.IsValid);
        Assert.Equal(error, result.Error);
    }

    [Fact]
    public void The_reference_vector_verifies()
    {
        var result = VerifyReference();

        Assert.True(result.IsValid);
        Assert.Null(result.Error);
        Assert.Same(WebhookVerification.Valid, result);
    }

    [Fact]
    public void The_openssl_vector_verifies()
    {
        var result = WebhookVerifier.Verify(
            SigningVectors.OpensslId,
            SigningVectors.OpensslTimestamp.ToString(CultureInfo.InvariantCulture),
            SigningVectors.OpensslSignature,
            SigningVectors.Utf8(SigningVectors.OpensslPayload),
            WebhookSecret.Parse(SigningVectors.OpensslSecret),
            DateTimeOffset.FromUnixTimeSeconds(SigningVectors.OpensslTimestamp + 42),
            Tolerance);

        Assert.True(result.IsValid, result.Error);
    }

    [Fact]
    public void A_tampered_body_fails()
    {
        AssertInvalid(VerifyReference(body: SigningVectors.Utf8("""{"test": 2432232315}""")), "no signature matches");
        AssertInvalid(VerifyReference(body: SigningVectors.Utf8("""{"test":2432232314}""")), "no signature matches");
        AssertInvalid(VerifyReference(body: []), "no signature matches");
    }

    [Fact]
    public void A_tampered_id_fails()
    {
        AssertInvalid(VerifyReference(id: "msg_p5jXN8AQM9LWM0D4loKWxJel"), "no signature matches");
    }

    [Fact]
    public void A_tampered_timestamp_fails()
    {
        AssertInvalid(VerifyReference(timestamp: "1614265331"), "no signature matches");
    }

    [Fact]
    public void A_tampered_signature_or_another_secret_fails()
    {
        // One bit flipped in the last byte (the Python reference library's own negative case).
        AssertInvalid(VerifyReference(signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA="), "no signature matches");
        AssertInvalid(VerifyReference(secret: WebhookSecret.Generate()), "no signature matches");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void A_missing_id_is_reported(string? id)
    {
        AssertInvalid(VerifyReference(id: id), "missing webhook-id header");
    }

    [Fact]
    public void A_missing_timestamp_is_reported()
    {
        AssertInvalid(
            WebhookVerifier.Verify(SigningVectors.ReferenceId, null, SigningVectors.ReferenceSignature, ReferenceBody, Reference, ReferenceTime, Tolerance),
            "missing webhook-timestamp header");
        AssertInvalid(VerifyReference(timestamp: ""), "missing webhook-timestamp header");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void A_missing_signature_is_reported(string? signature)
    {
        AssertInvalid(VerifyReference(signature: signature), "missing webhook-signature header");
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("-1614265330")]
    [InlineData("+1614265330")]
    [InlineData(" 1614265330")]
    [InlineData("1614265330 ")]
    [InlineData("1614265330.0")]
    [InlineData("1,614,265,330")]
    [InlineData("2021-02-25T15:02:10Z")]
    [InlineData("99999999999999999999999")]
    public void A_timestamp_that_is_not_unix_seconds_is_reported(string timestamp)
    {
        AssertInvalid(VerifyReference(timestamp: timestamp), "invalid webhook-timestamp header (expected integer Unix seconds)");
    }

    [Fact]
    public void The_tolerance_bound_is_accepted_one_second_more_is_not()
    {
        AssertValid(VerifyReference(now: ReferenceTime + Tolerance));
        AssertValid(VerifyReference(now: ReferenceTime - Tolerance));
        AssertValid(VerifyReference(now: ReferenceTime + Tolerance + TimeSpan.FromMilliseconds(999)));

        AssertInvalid(VerifyReference(now: ReferenceTime + Tolerance + TimeSpan.FromSeconds(1)), "timestamp too old");
        AssertInvalid(VerifyReference(now: ReferenceTime - Tolerance - TimeSpan.FromSeconds(1)), "timestamp too far in the future");
        AssertInvalid(VerifyReference(now: ReferenceTime - Tolerance - TimeSpan.FromMilliseconds(1)), "timestamp too far in the future");
    }

    [Fact]
    public void A_zero_tolerance_accepts_only_the_same_second()
    {
        AssertValid(VerifyReference(now: ReferenceTime, tolerance: TimeSpan.Zero));
        AssertValid(VerifyReference(now: ReferenceTime.AddMilliseconds(999), tolerance: TimeSpan.Zero));
        AssertInvalid(VerifyReference(now: ReferenceTime.AddSeconds(1), tolerance: TimeSpan.Zero), "timestamp too old");
        AssertInvalid(VerifyReference(now: ReferenceTime.AddMilliseconds(-1), tolerance: TimeSpan.Zero), "timestamp too far in the future");
    }

    [Fact]
    public void A_fractional_tolerance_counts_whole_seconds_of_age()
    {
        var tolerance = TimeSpan.FromSeconds(1.5);

        AssertValid(VerifyReference(now: ReferenceTime.AddSeconds(1), tolerance: tolerance));
        AssertInvalid(VerifyReference(now: ReferenceTime.AddSeconds(2), tolerance: tolerance), "timestamp too old");
    }

    [Fact]
    public void Extreme_timestamps_are_refused_without_overflow()
    {
        AssertInvalid(VerifyReference(timestamp: long.MaxValue.ToString(CultureInfo.InvariantCulture)), "timestamp too far in the future");
        AssertInvalid(VerifyReference(timestamp: "0"), "timestamp too old");
        AssertInvalid(VerifyReference(now: DateTimeOffset.MaxValue, tolerance: TimeSpan.MaxValue, timestamp: "0"), "no signature matches");
        AssertInvalid(VerifyReference(now: DateTimeOffset.MinValue, timestamp: long.MaxValue.ToString(CultureInfo.InvariantCulture)), "timestamp too far in the future");
    }

    [Fact]
    public void The_timestamp_is_checked_before_the_signature()
    {
        AssertInvalid(VerifyReference(signature: "v1,AAAA", now: ReferenceTime.AddHours(1)), "timestamp too old");
    }

    [Fact]
    public void A_negative_tolerance_or_null_secret_is_a_programming_error()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => VerifyReference(tolerance: TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentNullException>(() => WebhookVerifier.Verify(
            SigningVectors.ReferenceId, ReferenceTimestamp, SigningVectors.ReferenceSignature, ReferenceBody, null!, ReferenceTime, Tolerance));
    }

    [Fact]
    public void Any_matching_v1_signature_among_several_verifies()
    {
        // The reference libraries' multi-signature case: wrong v1, an unknown v2, the right one, wrong v1.
        var header = string.Join(
            ' ',
            "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
            "v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
            SigningVectors.ReferenceSignature,
            "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=");

        AssertValid(VerifyReference(signature: header));
    }

    [Theory]
    [InlineData("v1a,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    [InlineData("v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    [InlineData("V1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    [InlineData("g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    [InlineData("v1, g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    [InlineData("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE")]
    [InlineData("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=A")]
    [InlineData("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    [InlineData("v1,g0hM9SsE-OTPJTGt_tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    [InlineData("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OF=")] // same bytes, non-zero padding bits
    [InlineData("v1,G0HM9SSE+OTPJTGT/TMIKTSYZLE3UFJELVLNIOLJ1OE=")]
    [InlineData("v1,")]
    [InlineData("v1")]
    [InlineData(",")]
    [InlineData("   ")]
    [InlineData("v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzCInXqYXFymVJaA7AZdpXwVLPo3mNl8EM+m7TBAg==")]
    public void Other_versions_and_malformed_entries_are_ignored(string header)
    {
        AssertInvalid(VerifyReference(signature: header), "no signature matches");
    }

    [Theory]
    [InlineData("v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzCInXqYXFymVJaA7AZdpXwVLPo3mNl8EM+m7TBAg== {0}")]
    [InlineData("{0}  v1a,xyz")]
    [InlineData("   {0}   ")]
    [InlineData("garbage ,,, v1,%%% {0}")]
    public void A_valid_signature_is_found_among_noise(string format)
    {
        var header = string.Format(CultureInfo.InvariantCulture, format, SigningVectors.ReferenceSignature);

        AssertValid(VerifyReference(signature: header));
    }

    [Fact]
    public void During_rotation_either_secret_verifies_and_a_third_does_not()
    {
        var current = WebhookSecret.Generate();
        var previous = WebhookSecret.Generate();
        var body = SigningVectors.Utf8(SigningVectors.OpensslPayload);
        var header = WebhookSigner.SignatureHeader("msg_rotation", 1767225600, body, [current, previous]);
        var now = DateTimeOffset.FromUnixTimeSeconds(1767225600 + 3);

        AssertValid(WebhookVerifier.Verify("msg_rotation", "1767225600", header, body, current, now, Tolerance));
        AssertValid(WebhookVerifier.Verify("msg_rotation", "1767225600", header, body, previous, now, Tolerance));
        AssertInvalid(
            WebhookVerifier.Verify("msg_rotation", "1767225600", header, body, WebhookSecret.Generate(), now, Tolerance),
            "no signature matches");
    }

    [Fact]
    public void Ids_with_dots_from_other_senders_still_verify()
    {
        var body = "{}"u8.ToArray();
        var signature = WebhookSignerTests.Expected("evt.1", 1767225600, body, Reference);

        AssertValid(WebhookVerifier.Verify("evt.1", "1767225600", signature, body, Reference, DateTimeOffset.FromUnixTimeSeconds(1767225600), Tolerance));
    }

    [Fact]
    public void The_result_never_shows_the_secret()
    {
        var result = VerifyReference(signature: "v1,AAAA");

        Assert.DoesNotContain("MfKQ9r8G", result.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("g0hM9SsE", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Random_bodies_round_trip_and_any_flipped_bit_fails()
    {
        var random = new Random(1614265330);
        var secret = WebhookSecret.Generate();
        var now = DateTimeOffset.FromUnixTimeSeconds(1767225600);

        for (var round = 0; round < 300; round++)
        {
            var size = round switch
            {
                0 => 0,
                1 => 600,
                2 => 100_000,
                _ => random.Next(0, 2048),
            };
            var body = new byte[size];
            random.NextBytes(body);
            var id = "msg_" + random.NextInt64().ToString("x", CultureInfo.InvariantCulture);
            var timestamp = now.ToUnixTimeSeconds() + random.Next(-300, 301);
            var ts = timestamp.ToString(CultureInfo.InvariantCulture);
            var header = WebhookSigner.SignatureHeader(id, timestamp, body, [WebhookSecret.Generate(), secret]);

            AssertValid(WebhookVerifier.Verify(id, ts, header, body, secret, now, Tolerance));

            if (body.Length > 0)
            {
                var tampered = (byte[])body.Clone();
                tampered[random.Next(tampered.Length)] ^= (byte)(1 << random.Next(8));
                AssertInvalid(WebhookVerifier.Verify(id, ts, header, tampered, secret, now, Tolerance), "no signature matches");
            }

            AssertInvalid(WebhookVerifier.Verify(id + "x", ts, header, body, secret, now, Tolerance), "no signature matches");
            AssertInvalid(
                WebhookVerifier.Verify(id, (timestamp + 1).ToString(CultureInfo.InvariantCulture), header, body, secret, now, Tolerance),
                "no signature matches");
        }
    }

    private static void AssertValid(WebhookVerification result) => Assert.True(result.IsValid, result.Error);
}
