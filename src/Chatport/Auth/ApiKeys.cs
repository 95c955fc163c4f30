using System.Security.Cryptography;

namespace Chatport.Auth;

/// <summary>How Chatport's API keys look: a prefix that says what they are, then 32 random bytes, base64url.</summary>
internal static class ApiKeys
{
    public const string AdminPrefix = "cpk_admin_";

    public static string NewAdminKey() => AdminPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
