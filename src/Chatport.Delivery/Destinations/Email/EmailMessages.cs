using System.Globalization;
using System.Net;
using Chatport.Contract;
using Chatport.Transcripts;
using MimeKit;

namespace Chatport.Delivery.Destinations.Email;

/// <summary>
/// The e-mails of one delivery: the team's (to <see cref="EmailConfig.To"/>, <c>Reply-To</c> the visitor when they left
/// an address) and, with <see cref="EmailConfig.ToVisitor"/>, the visitor's own copy (to <c>visitor.email</c>). Each is
/// <c>multipart/alternative</c>: the transcript as text/plain and as text/html (<see cref="TranscriptRenderer"/>, times in
/// the account's zone), marked <c>Auto-Submitted: auto-generated</c> so that auto-responders stay quiet. Its Message-ID is
/// made from the delivery id, so a retried or replayed delivery sends the same Message-ID and a mailbox can drop the copy.
/// MimeKit encodes subjects and names in any script (RFC 2047).
/// </summary>
public static class EmailMessages
{
    /// <summary>The team's subject when the destination sets none.</summary>
    public const string DefaultSubject = "Chat with {visitor} — {date}";

    /// <summary>The visitor's subject when the destination sets none.</summary>
    public const string DefaultVisitorSubject = "Your chat — {date}";

    /// <summary>The placeholders a subject may hold, as the field's description lists them.</summary>
    public const string Placeholders = "{visitor} (the visitor's name, or \"a visitor\"), {date} (when the chat began, in the account's time zone), {chatId}";

    /// <summary>One e-mail to send and who it goes to (<c>team</c> or <c>visitor</c>), for the delivery log.</summary>
    public sealed record Outgoing(string Audience, MimeMessage Message);

    /// <summary>The e-mails for <paramref name="conversation"/>; empty when there is no one to send to (no <c>to</c>, and no visitor address).</summary>
    public static List<Outgoing> For(EmailConfig config, Conversation conversation, string deliveryId, TimeZoneInfo zone, DateTimeOffset now)
    {
        var from = Mailbox(config.From) ?? throw new InvalidOperationException("The destination's from address does not parse.");
        var visitorAddress = VisitorMailbox(conversation.Visitor.Or(null));
        var text = TranscriptRenderer.RenderText(conversation, zone);
        var html = TranscriptRenderer.RenderHtml(conversation, zone);
        // The Message-ID's right side is the sender's domain, in its ASCII (punycode) form.
        var encoded = MailboxAddress.EncodeAddrspec(from.Address);
        var domain = encoded[(encoded.LastIndexOf('@') + 1)..];

        var messages = new List<Outgoing>(2);
        if (config.To.Count > 0)
        {
            var subject = Subject(config.Subject ?? DefaultSubject, conversation, zone);
            var message = Message(from, [.. config.To.Select(a => Mailbox(a)!)], subject, $"{deliveryId}.team@{domain}", now, text, html);
            if (visitorAddress is not null)
            {
                message.ReplyTo.Add(visitorAddress);
            }
            messages.Add(new Outgoing("team", message));
        }
        if (config.ToVisitor && visitorAddress is not null)
        {
            var subject = Subject(config.Subject ?? DefaultVisitorSubject, conversation, zone);
            messages.Add(new Outgoing("visitor", Message(from, [visitorAddress], subject, $"{deliveryId}.visitor@{domain}", now, text, html)));
        }
        return messages;
    }

    /// <summary><paramref name="template"/> with its placeholders filled in; one line, as a header must be.</summary>
    public static string Subject(string template, Conversation conversation, TimeZoneInfo zone)
    {
        var name = conversation.Visitor.Or(null)?.Name.Or(null);
        var date = conversation.BeginAt.HasValue
            ? TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(conversation.BeginAt.Value), zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)
            : "unknown date";
        var chatId = conversation.Channel?.Id is { HasValue: true } id ? id.Value.ToString(CultureInfo.InvariantCulture) : "unknown";
        var subject = template.Replace("{visitor}", string.IsNullOrWhiteSpace(name) ? "a visitor" : name, StringComparison.Ordinal)
            .Replace("{date}", date, StringComparison.Ordinal)
            .Replace("{chatId}", chatId, StringComparison.Ordinal);
        return string.Join(' ', subject.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>
    /// <paramref name="text"/> as one mailbox (<c>a@example.com</c> or <c>Name &lt;a@example.com&gt;</c>) with a local part and
    /// a domain; null when it is anything else (a list, a group, a bare name, a line break).
    /// </summary>
    public static MailboxAddress? Mailbox(string text)
    {
        if (text.Any(char.IsControl) || !MailboxAddress.TryParse(ParserOptions.Default, text, out var mailbox))
        {
            return null;
        }
        var at = mailbox.Address.LastIndexOf('@');
        return at > 0 && at < mailbox.Address.Length - 1 ? mailbox : null;
    }

    /// <summary>The visitor as a mailbox (their name and <c>email</c>); null when they left no address that parses as one.</summary>
    private static MailboxAddress? VisitorMailbox(Visitor? visitor)
    {
        if (visitor?.Email.Or(null) is not { Length: > 0 } email || Mailbox(email) is not { } parsed)
        {
            return null;
        }
        return new MailboxAddress(visitor.Name.Or(null), parsed.Address);
    }

    private static MimeMessage Message(MailboxAddress from, MailboxAddress[] to, string subject, string messageId, DateTimeOffset now, string text, string html)
    {
        var message = new MimeMessage { Subject = subject, Date = now, MessageId = messageId };
        message.From.Add(from);
        message.To.AddRange(to);
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Headers.Add("X-Auto-Response-Suppress", "All");
        message.Body = new BodyBuilder { TextBody = text, HtmlBody = Document(subject, html) }.ToMessageBody();
        return message;
    }

    /// <summary>The HTML transcript as a whole UTF-8 document, with a little style (mail clients that drop it still show the same lines).</summary>
    private static string Document(string subject, string fragment) =>
        $$"""
        <!DOCTYPE html>
        <html>
        <head>
        <meta charset="utf-8">
        <title>{{WebUtility.HtmlEncode(subject)}}</title>
        <style>
        body { font-family: sans-serif; font-size: 14px; color: #222; }
        ol.messages { list-style: none; padding: 0; }
        ol.messages li { margin: 0 0 6px; }
        li.system { color: #666; font-style: italic; }
        time { color: #888; font-size: 12px; }
        </style>
        </head>
        <body>
        {{fragment}}</body>
        </html>

        """;
}
