using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Chatport.Tests.Destinations.Email;

/// <summary>
/// A real SMTP server on a loopback port (the SmtpServer library), standing in for a customer's mail server: it keeps
/// every message it accepts, parsed with MimeKit, answers each DATA as <see cref="Respond"/> says, refuses the recipients
/// <see cref="Refuse"/> names at RCPT, and offers AUTH (in the clear, as a local relay may), recording the logins and refusing a wrong <see cref="Password"/>.
/// </summary>
internal sealed class SmtpReceiver : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;
    private int _data;

    private SmtpReceiver(int port, X509Certificate2? certificate, bool tlsOnConnect)
    {
        Port = port;
        var options = new SmtpServerOptionsBuilder()
            .ServerName("receiver.test")
            .Endpoint(endpoint =>
            {
                endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, port)).AllowUnsecureAuthentication(true).AuthenticationRequired(false);
                if (certificate is not null)
                {
                    endpoint.Certificate(certificate).IsSecure(tlsOnConnect); // STARTTLS offered, or TLS from the start
                }
            })
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        services.Add(new Filter(this));
        services.Add(new Authenticator(this));
        _running = new SmtpServer.SmtpServer(options, services).StartAsync(_stop.Token);
    }

    public int Port { get; }

    /// <summary>The messages accepted, in order, with the envelope's recipients.</summary>
    public ConcurrentQueue<Received> Messages { get; } = new();

    /// <summary>The logins tried: user name and password.</summary>
    public ConcurrentQueue<(string User, string Password)> Logins { get; } = new();

    /// <summary>When set, the only password a login may give; any other is refused (535).</summary>
    public string? Password { get; set; }

    /// <summary>Decides the answer to the n-th DATA (1-based); null accepts (250).</summary>
    public Func<int, SmtpResponse?> Respond { get; set; } = _ => null;

    /// <summary>Recipients refused at RCPT (550), by address.</summary>
    public ConcurrentDictionary<string, bool> Refuse { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How many DATA commands arrived, accepted or not.</summary>
    public int DataCount => Volatile.Read(ref _data);

    public sealed record Received(MimeMessage Message, string[] Recipients, byte[] Raw);

    /// <param name="certificate">A server certificate: STARTTLS is offered (or, with <paramref name="tlsOnConnect"/>, TLS from the start).</param>
    public static async Task<SmtpReceiver> StartAsync(int? port = null, X509Certificate2? certificate = null, bool tlsOnConnect = false)
    {
        var receiver = new SmtpReceiver(port ?? FreePort(), certificate, tlsOnConnect);
        // The listener binds when StartAsync runs; wait until it answers.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, receiver.Port);
                return receiver;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(10);
            }
        }
    }

    /// <summary>A self-signed certificate for <c>receiver.test</c>, which no client trusts.</summary>
    public static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=receiver.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>A loopback port nothing listens on (for a server that is down, or one started later on it).</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Waits (a bounded real-time wait for another thread) until <paramref name="count"/> messages were accepted.</summary>
    public async Task<Received[]> WaitForAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (Messages.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Expected {count} message(s) at the SMTP server, got {Messages.Count}.");
            await Task.Delay(10);
        }
        return [.. Messages];
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }

    private sealed class Store(SmtpReceiver receiver) : MessageStore
    {
        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            var n = Interlocked.Increment(ref receiver._data);
            if (receiver.Respond(n) is { } refusal)
            {
                return Task.FromResult(refusal);
            }
            var raw = buffer.ToArray();
            using var stream = new MemoryStream(raw);
            receiver.Messages.Enqueue(new Received(MimeMessage.Load(stream), [.. transaction.To.Select(m => m.AsAddress())], raw));
            return Task.FromResult(SmtpResponse.Ok);
        }
    }

    private sealed class Filter(SmtpReceiver receiver) : IMailboxFilter
    {
        public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken cancellationToken) => Task.FromResult(true);

        public Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken) =>
            Task.FromResult(!receiver.Refuse.ContainsKey(to.AsAddress()));
    }

    private sealed class Authenticator(SmtpReceiver receiver) : IUserAuthenticator
    {
        public Task<bool> AuthenticateAsync(ISessionContext context, string user, string password, CancellationToken cancellationToken)
        {
            receiver.Logins.Enqueue((user, password));
            return Task.FromResult(receiver.Password is null || receiver.Password == password);
        }
    }
}
