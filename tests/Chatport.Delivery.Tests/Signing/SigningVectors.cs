using System.Text;

namespace Chatport.Tests.Signing;

/// <summary>Known-answer vectors, each checked outside this code base.</summary>
internal static class SigningVectors
{
    // The Standard Webhooks test vector (spec repository, libraries/*/tests; also Svix's manual-verification
    // docs). Re-derived with `openssl dgst -sha256 -mac HMAC -macopt hexkey:<base64-decoded key>` and with
    // Python's hmac module: both print g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=.
    internal const string ReferenceSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    internal const string ReferenceKeyHex = "31f290f6bf06298aab4f08d43c3f082cf648a362da2da4b0"; // 24 bytes
    internal const string ReferenceId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    internal const long ReferenceTimestamp = 1614265330;
    internal const string ReferencePayload = """{"test": 2432232314}""";
    internal const string ReferenceSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    // A random case made in the shell: key = `openssl rand -base64 32`, the body (120 bytes, with UTF-8 "¡" and
    // "¿" and a literal JSON escape \u00f1) written to a file, then
    // { printf '%s.%s.' "$ID" "$TS"; cat body.bin; } | openssl dgst -sha256 -mac HMAC -macopt hexkey:$KEYHEX -binary | base64
    // (OpenSSL 3.0.19), cross-checked with Python's hmac. SHA-256 of the body bytes:
    // 352b9ea4293c05ae4bc87423503df90894fb43c5a69e39eb3c1bb197f153794b.
    internal const string OpensslSecret = "whsec_3cS7OyBNlZptMZBkL5CK4zn8n775F5aZiH6ue8vRC64=";
    internal const string OpensslId = "msg_96f2d261c4ce2f3c139aa4a1";
    internal const long OpensslTimestamp = 1767225600;
    internal const string OpensslPayload = """{"accountId":208,"channel":{"id":55039,"ratingDesc":"¡Muy bien! ¿Todo claro?"},"messages":[{"content":"Hola \u00f1"}]}""";
    internal const string OpensslPayloadSha256 = "352b9ea4293c05ae4bc87423503df90894fb43c5a69e39eb3c1bb197f153794b";
    internal const string OpensslSignature = "v1,3scK7AHXM9rSY+LXvrIH876Ho4b5fFqo0gW1nseGt0g=";

    internal static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
