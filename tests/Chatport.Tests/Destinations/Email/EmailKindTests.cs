using System.Net;
using System.Text;
using System.Text.Json;
using Chatport.Tests.Logging;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using SmtpServer.Protocol;

namespace Chatport.Tests.Destinations.Email;

/// <summary>
/// The <c>email</c> kind through the HTTP API on a real server, to a real SMTP server on loopback (<see cref="SmtpReceiver"/>):
/// the message is parsed with MimeKit — both parts, the subject and names in Czech, Japanese and emoji, the headers —
/// a 4xx is retried and delivered, a 5xx fails with the server's reply in the log, a server that is down gets every
/// conversation once it is up, the visitor gets their own copy, and the password is never shown nor logged.
/// </summary>
public sealed class EmailKindTests : IAsyncLifetime
{
    private const string Password = "s3cret-Pass-9f27";
    private const string Visitor = "Dušan Kmeť 山田 😀";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly LogCapture _logs = new();
    private ChatportServer _server = null!;
    private SmtpReceiver _smtp = null!;

    public async Task InitializeAsync()
    {
        _smtp = await SmtpReceiver.StartAsync();
        _server = await ChatportServer.StartAsync(time: _time, configure: _logs.AddTo,
            settings: ["--Chatport:Delivery:AllowPrivateTargets=true", "--Logging:LogLevel:Default=Trace"]);
        (await _server.Client.PutAsync("/v1/accounts/208", new StringContent(
            """{"name":"Acme","plan":"pro","timeZone":"Europe/Prague"}""", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _smtp.DisposeAsync();
        _logs.Dispose();
    }

    private async Task<JsonElement> CreateAsync(object body) =>
        await (await _server.PostJsonAsync("/v1/accounts/208/destinations", JsonSerializer.Serialize(body))).ReadJsonAsync(HttpStatusCode.Created);

    private async Task<JsonElement> GetAsync(string path) => await (await _server.Client.GetAsync(path)).ReadJsonAsync(HttpStatusCode.OK);

    private Task<JsonElement[]> WaitForDeliveriesAsync(string destinationId, Func<JsonElement[], bool> done) =>
        _server.WaitForDeliveriesAsync(208, destinationId, done);

    private async Task<JsonElement[]> AttemptLogAsync(string deliveryId) =>
        [.. (await GetAsync($"/v1/deliveries/{deliveryId}")).GetProperty("attemptLog").EnumerateArray()];

    private static string Chat(long chatId, string? visitorName = null, string? visitorEmail = "dusan@domain.com")
    {
        var json = SeedEvents.CompactSample().Replace("\"id\":55039", $"\"id\":{chatId}", StringComparison.Ordinal);
        if (visitorName is not null)
        {
            json = json.Replace("\"Dusan Kmet\"", JsonSerializer.Serialize(visitorName, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), StringComparison.Ordinal);
        }
        return json.Replace("\"dusan@domain.com\"", visitorEmail is null ? "null" : $"\"{visitorEmail}\"", StringComparison.Ordinal);
    }

    private static string Named(MailboxAddress mailbox) => $"{mailbox.Name} <{mailbox.Address}>";

    private object Destination(object? overrides = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["kind"] = "email", ["name"] = "Support inbox", ["host"] = "127.0.0.1", ["port"] = _smtp.Port, ["tls"] = "none",
            ["from"] = "Přepisy Chatportu 📨 <chats@example.cz>", ["to"] = new[] { "Tým podpory <team@example.com>", "サポート <support@example.jp>" },
            ["retrySchedule"] = new[] { "0", "10s" },
        };
        foreach (var property in JsonSerializer.SerializeToElement(overrides ?? new { }).EnumerateObject())
        {
            body[property.Name] = property.Value;
        }
        return body;
    }

    [Fact]
    public async Task The_transcript_arrives_as_text_and_html_with_its_headers_and_names_in_any_script()
    {
        var created = await CreateAsync(Destination(new { username = "mailer", password = Password, subject = "Chat s {visitor} — {date} 🎉 日本語 #{chatId}" }));
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal(("email", "127.0.0.1", _smtp.Port, "none", "mailer", false, 30), (created.GetProperty("kind").GetString(), created.GetProperty("host").GetString(),
            created.GetProperty("port").GetInt32(), created.GetProperty("tls").GetString(), created.GetProperty("username").GetString(),
            created.GetProperty("toVisitor").GetBoolean(), created.GetProperty("timeoutSeconds").GetInt32()));

        await (await _server.PostJsonAsync("/v1/conversations", Chat(55039, Visitor))).ReadJsonAsync(HttpStatusCode.OK);
        var received = Assert.Single(await _smtp.WaitForAsync(1));
        var message = received.Message;

        // 2015-03-27 15:33:59 UTC is 16:33:59 in Prague (CET, before that year's summer time).
        Assert.Equal($"Chat s {Visitor} — 2015-03-27 16:33 🎉 日本語 #55039", message.Subject);
        Assert.Equal("Přepisy Chatportu 📨 <chats@example.cz>", Named(Assert.Single(message.From.Mailboxes)));
        Assert.Equal(["Tým podpory <team@example.com>", "サポート <support@example.jp>"], message.To.Mailboxes.Select(Named));
        Assert.Equal(["team@example.com", "support@example.jp"], received.Recipients);
        var replyTo = Assert.Single(message.ReplyTo.Mailboxes);
        Assert.Equal((Visitor, "dusan@domain.com"), (replyTo.Name, replyTo.Address));
        Assert.Equal("auto-generated", message.Headers["Auto-Submitted"]);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero), message.Date);
        Assert.Equal([("mailer", Password)], _smtp.Logins);

        // The headers on the wire are ASCII: names and the subject are RFC 2047 encoded words.
        var head = Encoding.UTF8.GetString(received.Raw)[..Encoding.UTF8.GetString(received.Raw).IndexOf("\r\n\r\n", StringComparison.Ordinal)];
        Assert.All(head, c => Assert.True(c < 128, $"A raw header holds {c}: {head}"));
        var subjectLine = head.Replace("\r\n ", " ", StringComparison.Ordinal).Replace("\r\n\t", " ", StringComparison.Ordinal).Split("\r\n").Single(l => l.StartsWith("Subject: ", StringComparison.Ordinal));
        Assert.Contains("=?utf-8?", subjectLine, StringComparison.OrdinalIgnoreCase);

        // Both parts, in a multipart/alternative: the text transcript and the HTML one.
        var alternative = Assert.IsType<MultipartAlternative>(message.Body);
        var text = Assert.IsType<TextPart>(alternative[0]);
        var html = Assert.IsType<TextPart>(alternative[1]);
        Assert.Equal(("text/plain", "text/html"), (text.ContentType.MimeType, html.ContentType.MimeType));
        Assert.Contains("Chat 55039 (account 208)", text.Text, StringComparison.Ordinal);
        Assert.Contains($"2015-03-27 16:33:59  {Visitor} (visitor): Hello\n", text.Text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("John Doe (agent): Hi, how can i help you ?", text.Text, StringComparison.Ordinal);
        Assert.Contains("John Doe joined the chat.", text.Text, StringComparison.Ordinal);
        Assert.Contains("<article class=\"chatport-transcript\">", html.Text, StringComparison.Ordinal);
        // (The renderer writes characters outside the Basic Multilingual Plane, the emoji, as character references.)
        Assert.Contains("<li class=\"visitor\"><time>2015-03-27 16:33:59</time> <b>Dušan Kmeť 山田 &#x1F600; (visitor)</b>: Hello</li>", html.Text, StringComparison.Ordinal);
        Assert.Contains("<li class=\"agent\"><time>2015-03-27 16:34:13</time> <b>John Doe (agent)</b>: Hi, how can i help you ?</li>", html.Text, StringComparison.Ordinal);

        // The log says what happened; the Message-ID is the delivery's.
        var delivery = (await WaitForDeliveriesAsync(id, items => items.Length == 1 && items[0].GetProperty("status").GetString() == "succeeded"))[0];
        var deliveryId = delivery.GetProperty("id").GetString()!;
        Assert.Equal($"{deliveryId}.team@example.cz", message.MessageId);
        var attempt = Assert.Single(await AttemptLogAsync(deliveryId));
        Assert.Equal($"team: accepted (Ok), message-id <{deliveryId}.team@example.cz>, to team@example.com, support@example.jp", attempt.GetProperty("response").GetString());

        // The password: stored, used, and never shown — not in the answer that set it, not in reads, lists or logs.
        Assert.Equal(JsonValueKind.Null, created.GetProperty("password").ValueKind);
        Assert.Equal(JsonValueKind.Null, (await GetAsync($"/v1/accounts/208/destinations/{id}")).GetProperty("password").ValueKind);
        Assert.Equal(JsonValueKind.Null, (await GetAsync("/v1/accounts/208/destinations"))[0].GetProperty("password").ValueKind);
        var patched = await (await _server.Client.PatchAsync($"/v1/accounts/208/destinations/{id}",
            new StringContent($$"""{"password":"{{Password}}-2"}""", Encoding.UTF8, "application/json"))).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal((JsonValueKind.Null, "mailer", "Support inbox"), (patched.GetProperty("password").ValueKind, patched.GetProperty("username").GetString(), patched.GetProperty("name").GetString()));
        Assert.NotEmpty(_logs.Entries);
        Assert.DoesNotContain(_logs.Entries, e => e.Message.Contains(Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_4xx_reply_is_retried_and_delivered_on_a_later_attempt_with_the_same_message_id()
    {
        _smtp.Respond = n => n == 1 ? new SmtpResponse((SmtpReplyCode)451, "4.3.0 Mailbox busy, try again later") : null;
        var id = (await CreateAsync(Destination(new { from = "Chats <chats@příklad.cz>" }))).GetProperty("id").GetString()!;

        await (await _server.PostJsonAsync("/v1/conversations", Chat(1001))).ReadJsonAsync(HttpStatusCode.OK);

        var delivery = (await WaitForDeliveriesAsync(id, items => items.Length == 1 && items[0].GetProperty("status").GetString() == "succeeded"))[0];
        var deliveryId = delivery.GetProperty("id").GetString()!;
        Assert.Equal(2, delivery.GetProperty("attempts").GetInt32());
        var log = await AttemptLogAsync(deliveryId);
        Assert.Equal("The mail server asked to try again later: 451 4.3.0 Mailbox busy, try again later", log[0].GetProperty("error").GetString());
        Assert.Equal("451 4.3.0 Mailbox busy, try again later", log[0].GetProperty("response").GetString());
        Assert.Equal(JsonValueKind.Null, log[1].GetProperty("error").ValueKind);
        Assert.Equal(2, _smtp.DataCount);
        var received = Assert.Single(await _smtp.WaitForAsync(1)).Message;
        Assert.Equal($"{deliveryId}.team@xn--pklad-zsa96e.cz", received.MessageId); // an international domain, in its ASCII form
        Assert.Equal("chats@příklad.cz", Assert.Single(received.From.Mailboxes).Address);
    }

    [Fact]
    public async Task A_5xx_reply_fails_the_delivery_at_once_with_the_server_reply_in_the_log()
    {
        _smtp.Respond = _ => new SmtpResponse((SmtpReplyCode)554, "5.7.1 Message rejected as spam");
        var id = (await CreateAsync(Destination())).GetProperty("id").GetString()!;

        await (await _server.PostJsonAsync("/v1/conversations", Chat(1002))).ReadJsonAsync(HttpStatusCode.OK);

        var delivery = (await WaitForDeliveriesAsync(id, items => items.Length == 1 && items[0].GetProperty("status").GetString() == "failed"))[0];
        Assert.Equal(1, delivery.GetProperty("attempts").GetInt32()); // not retried
        var attempt = Assert.Single(await AttemptLogAsync(delivery.GetProperty("id").GetString()!));
        Assert.Equal("The mail server refused the e-mail: 554 5.7.1 Message rejected as spam", attempt.GetProperty("error").GetString());
        Assert.Equal("554 5.7.1 Message rejected as spam", attempt.GetProperty("response").GetString());
        Assert.Equal("The mail server refused the e-mail: 554 5.7.1 Message rejected as spam", delivery.GetProperty("lastError").GetString());
    }

    [Fact]
    public async Task A_mail_server_that_is_down_gets_every_conversation_once_it_is_up()
    {
        var port = SmtpReceiver.FreePort();
        var id = (await CreateAsync(Destination(new { port }))).GetProperty("id").GetString()!;

        foreach (var chat in new[] { 2001L, 2002, 2003 })
        {
            await (await _server.PostJsonAsync("/v1/conversations", Chat(chat))).ReadJsonAsync(HttpStatusCode.OK);
        }
        var waiting = await WaitForDeliveriesAsync(id, items => items.Length == 3 && items.All(i => i.GetProperty("attempts").GetInt32() == 2));
        Assert.All(waiting, d => Assert.Equal("pending", d.GetProperty("status").GetString()));
        var error = (await AttemptLogAsync(waiting[0].GetProperty("id").GetString()!))[0].GetProperty("error").GetString()!;
        Assert.StartsWith($"Could not talk to the mail server 127.0.0.1:{port}: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);

        await using var late = await SmtpReceiver.StartAsync(port);
        _time.Advance(TimeSpan.FromSeconds(15)); // past the 10 s retry, jitter included

        await WaitForDeliveriesAsync(id, items => items.Length == 3 && items.All(i => i.GetProperty("status").GetString() == "succeeded"));
        var subjects = (await late.WaitForAsync(3)).Select(r => r.Message.TextBody!.Split('\n')[0].Trim()).Order();
        Assert.Equal(["Chat 2001 (account 208)", "Chat 2002 (account 208)", "Chat 2003 (account 208)"], subjects);
    }

    [Fact]
    public async Task The_visitor_gets_their_own_copy_and_the_test_send_says_what_happened()
    {
        var id = (await CreateAsync(Destination(new { toVisitor = true }))).GetProperty("id").GetString()!;

        var test = await (await _server.Client.PostAsync($"/v1/accounts/208/destinations/{id}/test", null)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.True(test.GetProperty("succeeded").GetBoolean(), test.ToString());
        var testId = test.GetProperty("webhookId").GetString()!;
        Assert.Equal(
            $"team: accepted (Ok), message-id <{testId}.team@example.cz>, to team@example.com, support@example.jp\n" +
            $"visitor: accepted (Ok), message-id <{testId}.visitor@example.cz>, to dusan@domain.com",
            test.GetProperty("response").GetString());
        var both = await _smtp.WaitForAsync(2);
        var copy = both[1].Message;
        Assert.Equal(["dusan@domain.com"], both[1].Recipients);
        Assert.Equal("Dusan Kmet <dusan@domain.com>", Named(Assert.Single(copy.To.Mailboxes)));
        Assert.Empty(copy.ReplyTo);
        Assert.Equal("Your chat — 2015-03-27 16:33", copy.Subject);
        Assert.Equal("Chat with Dusan Kmet — 2015-03-27 16:33", both[0].Message.Subject);
        Assert.Contains("Dusan Kmet (visitor): tanks.", copy.TextBody, StringComparison.Ordinal);

        // Only to the visitor: a visitor without an address gets nothing, and that is not a failure.
        var visitorOnly = (await CreateAsync(Destination(new { to = Array.Empty<string>(), toVisitor = true, kinds = new[] { "completed" } }))).GetProperty("id").GetString()!;
        await (await _server.PostJsonAsync("/v1/conversations", Chat(3001, visitorEmail: null))).ReadJsonAsync(HttpStatusCode.OK);
        var none = (await WaitForDeliveriesAsync(visitorOnly, items => items.Length == 1 && items[0].GetProperty("status").GetString() == "succeeded"))[0];
        Assert.Equal("No e-mail sent: the destination sends only to the visitor, and this visitor left no valid e-mail address.",
            Assert.Single(await AttemptLogAsync(none.GetProperty("id").GetString()!)).GetProperty("response").GetString());

        // A visitor address the server refuses does not fail the delivery the team got.
        _smtp.Refuse["mistyped@domain.com"] = true;
        await (await _server.PostJsonAsync("/v1/conversations", Chat(3002, visitorEmail: "mistyped@domain.com"))).ReadJsonAsync(HttpStatusCode.OK);
        var team = (await WaitForDeliveriesAsync(id, items => items.Length == 2 && items.All(i => i.GetProperty("status").GetString() == "succeeded")))
            .Single(i => i.GetProperty("chatId").GetInt64() == 3002);
        Assert.EndsWith("\nvisitor: refused (550 mailbox unavailable), to mistyped@domain.com",
            Assert.Single(await AttemptLogAsync(team.GetProperty("id").GetString()!)).GetProperty("response").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_field_is_checked_in_plain_words()
    {
        async Task<JsonElement> RefusedAsync(object body) =>
            (await (await _server.PostJsonAsync("/v1/accounts/208/destinations", JsonSerializer.Serialize(body))).ReadJsonAsync(HttpStatusCode.BadRequest)).GetProperty("errors");

        var missing = await RefusedAsync(new { kind = "email" });
        Assert.Equal("host is required: the SMTP server's name or address, e.g. smtp.example.com.", missing.GetProperty("host")[0].GetString());
        Assert.StartsWith("tls is required: \"starttls\"", missing.GetProperty("tls")[0].GetString(), StringComparison.Ordinal);
        Assert.StartsWith("from is required", missing.GetProperty("from")[0].GetString(), StringComparison.Ordinal);

        var wrong = await RefusedAsync(new
        {
            kind = "email", host = "smtp example", port = 0, tls = "ssl", from = "not an address", to = new[] { "ok@example.com", "bad" },
            subject = new string('s', 201), username = "a\nb",
        });
        Assert.Equal("host must be a host name or an IP address (at most 253 characters), such as smtp.example.com; not \"smtp example\".", wrong.GetProperty("host")[0].GetString());
        Assert.Equal("port must be a whole number from 1 to 65535.", wrong.GetProperty("port")[0].GetString());
        Assert.Equal("tls must be \"starttls\", \"tls\" or \"none\", not \"ssl\".", wrong.GetProperty("tls")[0].GetString());
        Assert.StartsWith("from must be one e-mail address", wrong.GetProperty("from")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("to[1] must be an e-mail address, such as team@example.com; not \"bad\".", wrong.GetProperty("to")[0].GetString());
        Assert.Equal("subject must be at most 200 characters.", wrong.GetProperty("subject")[0].GetString());
        Assert.Equal("username must be one line, without control characters.", wrong.GetProperty("username")[0].GetString());

        var tooMany = await RefusedAsync(Destination(new { to = Enumerable.Range(0, 51).Select(i => $"a{i}@example.com").ToArray() }));
        Assert.Equal("to may name at most 50 addresses, not 51.", tooMany.GetProperty("to")[0].GetString());
        var nobody = await RefusedAsync(Destination(new { to = Array.Empty<string>() }));
        Assert.Equal("to must name at least one address (at most 50), unless toVisitor is true.", nobody.GetProperty("to")[0].GetString());
        var half = await RefusedAsync(Destination(new { username = "mailer" }));
        Assert.Equal("password is required with username.", half.GetProperty("password")[0].GetString());
        var wrongType = await RefusedAsync(Destination(new { to = "team@example.com" }));
        Assert.Equal("the value of `to` must be an array", wrongType.GetProperty("to")[0].GetString());
        foreach (var errors in new[] { missing, wrong, tooMany, nobody, half })
        {
            Assert.All(errors.EnumerateObject().SelectMany(e => e.Value.EnumerateArray()), e =>
            {
                Assert.DoesNotContain("Exception", e.GetString(), StringComparison.Ordinal);
                Assert.DoesNotContain("System.", e.GetString(), StringComparison.Ordinal);
            });
        }

        // A patch changes only what it names; the port by tls is set when the destination is made.
        var created = await CreateAsync(new { kind = "email", host = "smtp.example.com", tls = "starttls", from = "chats@example.com", to = new[] { "team@example.com" } });
        Assert.Equal(587, created.GetProperty("port").GetInt32());
        var id = created.GetProperty("id").GetString()!;
        var patched = await (await _server.Client.PatchAsync($"/v1/accounts/208/destinations/{id}",
            new StringContent("""{"tls":"tls","subject":"{visitor}"}""", Encoding.UTF8, "application/json"))).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(("smtp.example.com", 587, "tls", "{visitor}", "team@example.com"), (patched.GetProperty("host").GetString(), patched.GetProperty("port").GetInt32(),
            patched.GetProperty("tls").GetString(), patched.GetProperty("subject").GetString(), patched.GetProperty("to")[0].GetString()));

        var login = await (await _server.Client.PatchAsync($"/v1/accounts/208/destinations/{id}",
            new StringContent("""{"username":"mailer","password":"pw"}""", Encoding.UTF8, "application/json"))).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(("mailer", JsonValueKind.Null), (login.GetProperty("username").GetString(), login.GetProperty("password").ValueKind));
        var noLogin = await (await _server.Client.PatchAsync($"/v1/accounts/208/destinations/{id}",
            new StringContent("""{"username":""}""", Encoding.UTF8, "application/json"))).ReadJsonAsync(HttpStatusCode.OK); // the password goes with it
        Assert.Equal(JsonValueKind.Null, noLogin.GetProperty("username").ValueKind);
        var passwordAlone = await (await _server.Client.PatchAsync($"/v1/accounts/208/destinations/{id}",
            new StringContent("""{"password":"pw"}""", Encoding.UTF8, "application/json"))).ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal("username is required with password: who to log in as.", passwordAlone.GetProperty("errors").GetProperty("username")[0].GetString());

        await _server.PutAccountAsync(209, plan: "free");
        var free = await _server.PostJsonAsync("/v1/accounts/209/destinations", JsonSerializer.Serialize(Destination()));
        Assert.Equal(HttpStatusCode.Forbidden, free.StatusCode);
    }

    [Fact]
    public async Task A_login_the_server_refuses_fails_at_once_and_the_log_does_not_hold_the_password()
    {
        _smtp.Password = "the-right-one";
        var id = (await CreateAsync(Destination(new { username = "mailer", password = Password }))).GetProperty("id").GetString()!;

        await (await _server.PostJsonAsync("/v1/conversations", Chat(4003))).ReadJsonAsync(HttpStatusCode.OK);

        var delivery = (await WaitForDeliveriesAsync(id, items => items.Length == 1 && items[0].GetProperty("status").GetString() == "failed"))[0];
        Assert.Equal(1, delivery.GetProperty("attempts").GetInt32());
        var error = delivery.GetProperty("lastError").GetString()!;
        Assert.StartsWith("The mail server refused the login of mailer: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error, StringComparison.Ordinal);
        Assert.NotEmpty(_smtp.Logins); // MailKit tries each mechanism the server offers (PLAIN, LOGIN), then gives up
        Assert.All(_smtp.Logins, login => Assert.Equal(("mailer", Password), login));
        Assert.Equal(0, _smtp.DataCount);
        Assert.DoesNotContain(_logs.Entries, e => e.Message.Contains(Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Starttls_asked_of_a_server_without_it_fails_at_once_in_plain_words()
    {
        var id = (await CreateAsync(Destination(new { tls = "starttls" }))).GetProperty("id").GetString()!;

        await (await _server.PostJsonAsync("/v1/conversations", Chat(4001))).ReadJsonAsync(HttpStatusCode.OK);

        var delivery = (await WaitForDeliveriesAsync(id, items => items.Length == 1 && items[0].GetProperty("status").GetString() == "failed"))[0];
        Assert.Equal(1, delivery.GetProperty("attempts").GetInt32());
        Assert.Equal("The mail server cannot do what the destination asks: The SMTP server does not support the STARTTLS extension.",
            delivery.GetProperty("lastError").GetString());
        Assert.Equal(0, _smtp.DataCount); // nothing went in the clear
    }

    [Theory]
    [InlineData("starttls", false)]
    [InlineData("tls", true)]
    public async Task A_server_certificate_that_is_not_trusted_is_refused_and_retried(string tls, bool tlsOnConnect)
    {
        using var certificate = SmtpReceiver.SelfSigned();
        await using var secure = await SmtpReceiver.StartAsync(certificate: certificate, tlsOnConnect: tlsOnConnect);
        var id = (await CreateAsync(Destination(new { port = secure.Port, tls, retrySchedule = new[] { "1h" } }))).GetProperty("id").GetString()!;

        await (await _server.PostJsonAsync("/v1/conversations", Chat(4002))).ReadJsonAsync(HttpStatusCode.OK);

        var delivery = (await WaitForDeliveriesAsync(id, items => items.Length == 1 && items[0].GetProperty("attempts").GetInt32() == 1))[0];
        Assert.Equal("pending", delivery.GetProperty("status").GetString());
        var error = delivery.GetProperty("lastError").GetString()!;
        Assert.StartsWith("The TLS handshake with the mail server failed: ", error, StringComparison.Ordinal);
        Assert.Contains("certificate", error, StringComparison.Ordinal);
        Assert.Equal(0, secure.DataCount);
    }

    [Fact]
    public async Task A_server_that_never_answers_is_a_timeout_on_the_injected_clock()
    {
        using var silent = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var id = (await CreateAsync(Destination(new { port, timeoutSeconds = 5 }))).GetProperty("id").GetString()!;

        var test = _server.Client.PostAsync($"/v1/accounts/208/destinations/{id}/test", null);
        using var accepted = await silent.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(20)); // connected; no greeting follows
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!test.IsCompleted)
        {
            Assert.True(DateTime.UtcNow < deadline, "The test send never timed out.");
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }
        var answer = await (await test).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal((false, "The mail server did not answer within 5 s (timeout)."), (answer.GetProperty("succeeded").GetBoolean(), answer.GetProperty("error").GetString()));
    }
}

/// <summary>The SSRF guard on the SMTP host, with private targets not allowed (the default).</summary>
public sealed class EmailHostGuardTests : IAsyncLifetime
{
    private ChatportServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ChatportServer.StartAsync();
        await _server.PutAccountAsync(208);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<HttpResponseMessage> CreateAsync(string host, int port = 25) => _server.PostJsonAsync("/v1/accounts/208/destinations", JsonSerializer.Serialize(new
    {
        kind = "email", host, port, tls = "none", from = "chats@example.com", to = new[] { "team@example.com" },
    }));

    [Theory]
    [InlineData("127.0.0.1", "host is a private address: 127.0.0.1 is a loopback address. Set Chatport:Delivery:AllowPrivateTargets to true to allow it.")]
    [InlineData("10.1.2.3", "host is a private address: 10.1.2.3 is a private address (RFC 1918). Set Chatport:Delivery:AllowPrivateTargets to true to allow it.")]
    [InlineData("0x7f.1", "host is a private address: 127.0.0.1 is a loopback address. Set Chatport:Delivery:AllowPrivateTargets to true to allow it.")]
    [InlineData("[::1]", "host is a private address: ::1 is a loopback address. Set Chatport:Delivery:AllowPrivateTargets to true to allow it.")]
    [InlineData("169.254.169.254", "host is a private address: 169.254.169.254 is the cloud metadata address (AWS, GCP, Azure, Oracle, OpenStack). Set Chatport:Delivery:AllowPrivateTargets to true to allow it.")]
    [InlineData("localhost", "host is this machine (localhost). Set Chatport:Delivery:AllowPrivateTargets to true to allow it.")]
    [InlineData("mail.localhost.", "host is this machine (mail.localhost.). Set Chatport:Delivery:AllowPrivateTargets to true to allow it.")]
    public async Task A_private_host_is_refused_when_saved(string host, string error)
    {
        var refused = await (await CreateAsync(host)).ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(error, refused.GetProperty("errors").GetProperty("host")[0].GetString());
    }

    [Fact]
    public async Task A_host_name_that_resolves_to_a_private_address_is_refused_when_sending_before_any_connection()
    {
        await using var smtp = await SmtpReceiver.StartAsync();
        var host = Dns.GetHostName(); // this machine's own name: saved (it is a name), and resolves to this machine's private addresses
        var addresses = await Dns.GetHostAddressesAsync(host);
        Assert.True(addresses.Length > 0 && addresses.All(a => Chatport.Delivery.Safety.AddressPolicy.IsBlocked(a, out _)),
            $"{host} should resolve to private addresses only here, not {string.Join(", ", addresses.Select(a => a.ToString()))}.");
        var id = (await (await CreateAsync(host, smtp.Port)).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;

        var test = await (await _server.Client.PostAsync($"/v1/accounts/208/destinations/{id}/test", null)).ReadJsonAsync(HttpStatusCode.OK);

        Assert.False(test.GetProperty("succeeded").GetBoolean());
        Assert.StartsWith($"Blocked before connecting: Blocked delivery target '{host}': it resolves to an address that is not allowed (private, loopback or reserved).",
            test.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.All(addresses, a => Assert.DoesNotContain(a.ToString(), test.GetRawText(), StringComparison.Ordinal)); // no DNS oracle
        Assert.EndsWith("Set Chatport:Delivery:AllowPrivateTargets to true to allow private targets.", test.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, smtp.DataCount);
        Assert.Empty(smtp.Messages);
    }
}
