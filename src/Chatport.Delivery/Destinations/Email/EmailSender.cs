using System.Net;
using System.Net.Sockets;
using System.Text;
using Chatport.Contract;
using Chatport.Delivery.Safety;
using Chatport.Storage.Deliveries;
using Chatport.Storage.Destinations;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace Chatport.Delivery.Destinations.Email;

/// <summary>
/// Sends one delivery's e-mails (<see cref="EmailMessages"/>) in one SMTP session. The host is resolved once and every
/// address checked by the SSRF guard (<see cref="GuardedConnector"/>, as for webhooks) before MailKit is handed a socket
/// connected to a checked address, so nothing is looked up twice. The whole attempt — resolving, connecting, TLS, login,
/// sending — runs within the destination's timeout on the injected clock. A 4xx reply, a connection that fails or a
/// timeout is a retry (and the next attempt sends every e-mail again, with the same Message-IDs); a 5xx reply (or a login
/// the server refuses, or STARTTLS or AUTH it lacks) is a failed attempt, with the server's reply in the log — except a
/// visitor's copy refused after the team's e-mail was accepted, which is noted in the detail and still delivered.
/// </summary>
internal sealed class EmailSender(bool allowPrivateTargets, AccountZones zones, TimeProvider time)
{
    private readonly GuardedConnector _guard = new(allowPrivateTargets,
        static async (host, cancellationToken) => await Dns.GetHostAddressesAsync(host, cancellationToken));

    public async Task<SendOutcome> SendAsync(Destination destination, DeliveryWork delivery, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var config = EmailConfigJson.Deserialize(destination.Config);
        Conversation conversation;
        try
        {
            conversation = ConversationNormalizer.Normalize(ContractJson.Parse(delivery.Body.Span));
        }
        catch (ContractException e)
        {
            return Outcome(SendResult.Failed, started, $"The conversation could not be read for the e-mail: {e.Message}", null);
        }
        var zone = await zones.ZoneOfAsync(delivery.AccountId, cancellationToken);
        var messages = EmailMessages.For(config, conversation, delivery.Id, zone, time.GetUtcNow());
        if (messages.Count == 0)
        {
            return Outcome(SendResult.Delivered, started, null, "No e-mail sent: the destination sends only to the visitor, and this visitor left no valid e-mail address.");
        }

        // One source cancels the attempt: the destination's timeout (on the injected clock) or the host stopping.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(destination.TimeoutSeconds), time);
        using var stopping = cancellationToken.UnsafeRegister(static d => ((CancellationTokenSource)d!).Cancel(), deadline);
        var sent = new List<string>(messages.Count);
        try
        {
            var addresses = await _guard.CheckAsync(config.Host, config.Port, deadline.Token);
            using var socket = await GuardedConnector.ConnectSocketAsync(addresses, config.Port, deadline.Token);
            using var client = new SmtpClient { Timeout = destination.TimeoutSeconds * 1000 };
            await client.ConnectAsync(socket, config.Host, config.Port, Security(config.Tls), deadline.Token);
            if (config.Username is { } username)
            {
                var password = EmailConfigJson.DeserializeSecrets(destination.Secrets)?.Password ?? "";
                await client.AuthenticateAsync(username, password, deadline.Token);
            }
            foreach (var (audience, message) in messages)
            {
                var to = string.Join(", ", message.To.Mailboxes.Select(m => m.Address));
                try
                {
                    var reply = await client.SendAsync(message, deadline.Token);
                    sent.Add($"{audience}: accepted ({Line(reply)}), message-id <{message.MessageId}>, to {to}");
                }
                catch (SmtpCommandException e) when (audience == "visitor" && sent.Count > 0 && (int)e.StatusCode >= 500)
                {
                    // The team has the transcript; an address the visitor typed that the server refuses is not a failed delivery.
                    sent.Add($"visitor: refused ({(int)e.StatusCode} {Line(e.Message)}), to {to}");
                }
            }
            await QuitAsync(client, deadline.Token);
            return Outcome(SendResult.Delivered, started, null, string.Join('\n', sent));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failure(SendResult.Retry, started, $"The mail server did not answer within {destination.TimeoutSeconds} s (timeout).", sent, null);
        }
        catch (BlockedTargetException e)
        {
            return Failure(SendResult.Retry, started, $"Blocked before connecting: {e.Message}", sent, null);
        }
        catch (SmtpCommandException e)
        {
            var code = (int)e.StatusCode;
            var reply = $"{code} {Line(e.Message)}";
            var about = e.ErrorCode switch
            {
                SmtpErrorCode.RecipientNotAccepted => $" for the recipient {e.Mailbox?.Address}",
                SmtpErrorCode.SenderNotAccepted => $" for the sender {e.Mailbox?.Address}",
                _ => "",
            };
            return code >= 500
                ? Failure(SendResult.Failed, started, $"The mail server refused the e-mail{about}: {reply}", sent, reply)
                : Failure(SendResult.Retry, started, $"The mail server asked to try again later{about}: {reply}", sent, reply);
        }
        catch (AuthenticationException e)
        {
            return Failure(SendResult.Failed, started, $"The mail server refused the login of {config.Username}: {Line(e.Message)}", sent, Line(e.Message));
        }
        catch (NotSupportedException e)
        {
            // STARTTLS asked of a server without it, or a login asked of a server that offers none: a setting to change.
            return Failure(SendResult.Failed, started, $"The mail server cannot do what the destination asks: {Line(e.Message)}", sent, null);
        }
        catch (SslHandshakeException e)
        {
            return Failure(SendResult.Retry, started, $"The TLS handshake with the mail server failed: {Line(e.Message)}", sent, null);
        }
        catch (Exception e) when (e is SocketException or IOException or SmtpProtocolException or ServiceNotConnectedException)
        {
            return Failure(SendResult.Retry, started, $"Could not talk to the mail server {config.Host}:{config.Port}: {Line(e.Message)}", sent, null);
        }
    }

    private static SecureSocketOptions Security(string tls) => tls switch
    {
        EmailConfig.None => SecureSocketOptions.None,
        EmailConfig.TlsOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTls,
    };

    /// <summary>Says goodbye (QUIT); the e-mails are already accepted, so a server that hangs up first changes nothing.</summary>
    private static async Task QuitAsync(SmtpClient client, CancellationToken cancellationToken)
    {
        try
        {
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (Exception e) when (e is IOException or SocketException or SmtpProtocolException or SmtpCommandException or OperationCanceledException)
        {
        }
    }

    /// <summary>A failed attempt; its detail is the server's reply, after what was accepted before it (the team's e-mail, when the visitor's copy failed).</summary>
    private SendOutcome Failure(SendResult result, long started, string error, List<string> sent, string? reply)
    {
        var lines = reply is null ? sent : [.. sent, reply];
        return Outcome(result, started, error, lines.Count == 0 ? null : string.Join('\n', lines));
    }

    private SendOutcome Outcome(SendResult result, long started, string? error, string? detail) =>
        new(result, time.GetElapsedTime(started).TotalMilliseconds, null, error, detail is null ? null : Bounded(detail));

    /// <summary>A server's words on one line, at most 500 characters.</summary>
    private static string Line(string text)
    {
        var line = string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.Length <= 500 ? line : line[..500] + "…";
    }

    /// <summary>The detail as UTF-8, cut to <see cref="SendOutcome.MaxDetailBytes"/>.</summary>
    private static byte[] Bounded(string detail)
    {
        var bytes = Encoding.UTF8.GetBytes(detail);
        if (bytes.Length <= SendOutcome.MaxDetailBytes)
        {
            return bytes;
        }
        var cut = SendOutcome.MaxDetailBytes;
        while (cut > 0 && (bytes[cut] & 0xC0) == 0x80)
        {
            cut--; // not inside a character
        }
        return bytes[..cut];
    }
}
