using System.Security.Cryptography;

namespace Chatport.Application.Keys;

/// <summary>How Chatport's API keys look: a prefix that says what they are, then 32 random bytes, base64url.</summary>
public static class ApiKeys
{
    public const string AdminPrefix = "cpk_admin_";
    public const string AccountPrefix = "cpk_live_";

    /// <summary>How much of a key is kept in clear, to recognize it in a listing.</summary>
    public const int ShownLength = 14;

    public static string NewAdminKey() => AdminPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string NewAccountKey() => AccountPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string NewKeyId() => "key_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    public static byte[] Hash(string key) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key));

    private static string Base64Url(byte[] bytes) =>
        System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
