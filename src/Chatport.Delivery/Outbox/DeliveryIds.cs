using System.Security.Cryptography;

namespace Chatport.Delivery.Outbox;

/// <summary>
/// Delivery ids, also the Standard Webhooks <c>webhook-id</c>: <c>msg_</c>, then 48 bits of milliseconds and
/// 80 random bits in Crockford base32 (26 characters), so ids sort by creation time.
/// </summary>
public static class DeliveryIds
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string New(DateTimeOffset now) => Format(now, random: true);

    /// <summary>The lowest id of the millisecond <paramref name="at"/>: every id made before it sorts below.</summary>
    public static string FirstAt(DateTimeOffset at) => Format(at, random: false);

    private static string Format(DateTimeOffset now, bool random)
    {
        Span<byte> bytes = stackalloc byte[16];
        var ms = now.ToUnixTimeMilliseconds();
        for (var i = 5; i >= 0; i--)
        {
            bytes[i] = (byte)(ms & 0xFF);
            ms >>= 8;
        }
        if (random)
        {
            RandomNumberGenerator.Fill(bytes[6..]);
        }
        Span<char> text = stackalloc char[4 + 26];
        "msg_".CopyTo(text);
        // 128 bits as 26 base32 digits (the first holds the top 3 bits).
        var high = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes);
        var low = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        var value = new UInt128(high, low);
        for (var i = 29; i >= 4; i--)
        {
            text[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }
        return new string(text);
    }
}
