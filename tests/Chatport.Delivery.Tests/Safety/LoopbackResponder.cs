using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Chatport.Tests.Safety;

/// <summary>A minimal HTTP/1.1 responder on 127.0.0.1: reads one request head per connection, answers, closes.</summary>
internal sealed class LoopbackResponder : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly byte[] _response;
    private readonly Task _loop;
    private int _accepted;

    public LoopbackResponder(string response)
    {
        _response = Encoding.ASCII.GetBytes(response);
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>The head (request line and headers) of the last request read.</summary>
    public string? LastRequestHead { get; private set; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        catch (SocketException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            Interlocked.Increment(ref _accepted);
            var stream = client.GetStream();
            LastRequestHead = await ReadRequestHeadAsync(stream, _stop.Token);
            await stream.WriteAsync(_response, _stop.Token);
            await stream.FlushAsync(_stop.Token);
        }
    }

    private static async Task<string> ReadRequestHeadAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var head = new StringBuilder();
        var buffer = new byte[1024];
        while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                break;
            }

            head.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        return head.ToString();
    }
}
