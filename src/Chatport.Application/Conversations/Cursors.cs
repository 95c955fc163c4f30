using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Chatport.Storage.Conversations;

namespace Chatport.Application.Conversations;

/// <summary>Opaque page cursors: base64url of <c>endAt:chatId</c> (conversations) or of an account id (accounts).</summary>
public static class Cursors
{
    public static string Encode(ConversationCursor cursor) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{cursor.EndAt}:{cursor.ChatId}")));

    public static bool TryDecode(string text, out ConversationCursor cursor)
    {
        cursor = default;
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text)).Split(':');
            if (parts.Length == 2
                && long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var endAt)
                && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var chatId))
            {
                cursor = new ConversationCursor(endAt, chatId);
                return true;
            }
        }
        catch (FormatException)
        {
        }
        return false;
    }

    public static string EncodeAccount(long accountId) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(accountId.ToString(CultureInfo.InvariantCulture)));

    public static bool TryDecodeAccount(string text, out long accountId)
    {
        accountId = 0;
        try
        {
            return long.TryParse(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text)), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out accountId);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
