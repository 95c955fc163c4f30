using Chatport.Application.Keys;
using System.Security.Cryptography;
using System.Text;
using Chatport.Hosting;
using Microsoft.Extensions.Options;

namespace Chatport.Auth;

/// <summary>
/// The admin API key: <c>Chatport:AdminKey</c> when set, else the one kept in <c>{DataDir}/admin.key</c>,
/// made on first start (readable by the owner only). Only its SHA-256 is held in memory for comparisons.
/// </summary>
internal sealed class AdminKey
{
    public const string FileName = "admin.key";

    private readonly Lazy<(byte[] Hash, string? FilePath, bool Generated, string Fingerprint)> _state;

    public AdminKey(IOptions<ChatportOptions> options) =>
        _state = new(() => Load(options.Value), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Where the key is kept, or null when it comes from configuration.</summary>
    public string? FilePath => _state.Value.FilePath;

    /// <summary>True when this start made the key.</summary>
    public bool Generated => _state.Value.Generated;

    public bool Matches(string presented) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _state.Value.Hash);

    /// <summary>Whether a fingerprint the portal made at sign-in (<c>PortalAuth.Fingerprint</c>) is of this key.</summary>
    public bool MatchesFingerprint(string fingerprint) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(fingerprint), Encoding.ASCII.GetBytes(_state.Value.Fingerprint));

    private static (byte[], string?, bool, string) Load(ChatportOptions options)
    {
        if (options.AdminKey is { Length: > 0 } configured)
        {
            return (SHA256.HashData(Encoding.UTF8.GetBytes(configured)), null, false, Portal.Auth.PortalAuth.Fingerprint(configured));
        }
        Storage.OwnerOnly.CreateDirectory(options.DataDir);
        var path = Path.GetFullPath(Path.Combine(options.DataDir, FileName));
        var generated = false;
        if (!File.Exists(path))
        {
            var key = ApiKeys.NewAdminKey();
            try
            {
                using var stream = new FileStream(path, Storage.OwnerOnly.FileOptions(FileMode.CreateNew, FileAccess.Write));
                stream.Write(Encoding.UTF8.GetBytes(key + "\n"));
                stream.Flush(flushToDisk: true);
                generated = true;
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process made it first; use theirs.
            }
        }
        var stored = File.ReadAllText(path).Trim();
        if (stored.Length < 16)
        {
            throw new InvalidOperationException($"The admin key file {path} is empty or too short; delete it to have a new key made.");
        }
        return (SHA256.HashData(Encoding.UTF8.GetBytes(stored)), path, generated, Portal.Auth.PortalAuth.Fingerprint(stored));
    }
}
