using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Chatport.Tests.Faults;

/// <summary>How a <see cref="HookLoad"/> round ends.</summary>
internal enum RoundEnd
{
    /// <summary>Every connection is reset (linger 0, RST) with its request in flight, as wrk does when its time is up.</summary>
    Abort,

    /// <summary>No new request is sent; each connection waits for its last answer, then closes politely.</summary>
    Drain,
}

/// <summary>
/// A wrk-like load generator in C#: <c>connections</c> raw keep-alive HTTP/1.1 connections, each POSTing one
/// unique seed-sample body (a new <c>channel.id</c> per request) after the other to an inbound hook, for a while;
/// then every connection is reset or drained (<see cref="RoundEnd"/>). Raw sockets, so that a reset is a real RST
/// with the request in flight, and so that nothing between the test and the node retries or pools.
/// </summary>
internal static class HookLoad
{
    public static async Task<HookRound> RunAsync(Uri node, string path, int connections, TimeSpan duration, RoundEnd end,
        TimeSpan answerWithin, ChatIds ids, CancellationToken cancellationToken)
    {
        var round = new HookRound();
        var endpoint = new IPEndPoint(IPAddress.Parse(node.Host), node.Port);
        var header = $"POST {path} HTTP/1.1\r\nHost: {node.Authority}\r\nContent-Type: application/json\r\nContent-Length: ";
        using var stopSending = new CancellationTokenSource();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var workers = Enumerable.Range(0, connections).Select(_ => new HookConnection(endpoint, header, round, answerWithin)).ToList();
        var running = workers.Select(w => Task.Run(() => w.RunAsync(ids, stopSending.Token, stop.Token), CancellationToken.None)).ToList();

        await Task.Delay(duration, cancellationToken);
        await stopSending.CancelAsync();
        if (end == RoundEnd.Abort)
        {
            round.InFlightAtEnd = workers.Count(w => w.InFlight);
            foreach (var worker in workers)
            {
                worker.Reset();
            }
        }
        // Drain: each worker ends after its last answer (or after answerWithin without one); Abort: at once.
        var all = Task.WhenAll(running);
        if (await Task.WhenAny(all, Task.Delay(answerWithin + TimeSpan.FromSeconds(5), cancellationToken)) != all)
        {
            await stop.CancelAsync();
            foreach (var worker in workers)
            {
                worker.Reset();
            }
            round.Problem($"the load generator's connections did not end within {answerWithin.TotalSeconds + 5:0} s of the round's end");
        }
        await all;
        return round;
    }
}

/// <summary>What one round of <see cref="HookLoad"/> saw.</summary>
internal sealed class HookRound
{
    private const int ProblemsKept = 20;

    private readonly ConcurrentQueue<string> _problems = new();
    private int _problemCount;

    /// <summary>The chat ids whose request was answered 200: stored, the node says.</summary>
    public ConcurrentBag<long> Stored { get; } = [];

    public ConcurrentDictionary<int, int> Statuses { get; } = new();

    public int Sent;

    public int Connects;

    /// <summary>Requests sent and not yet answered when the connections were reset (<see cref="RoundEnd.Abort"/>); null when drained.</summary>
    public int? InFlightAtEnd { get; set; }

    public int ProblemCount => _problemCount;

    public IEnumerable<string> Problems => _problems;

    public void Problem(string problem)
    {
        if (Interlocked.Increment(ref _problemCount) <= ProblemsKept)
        {
            _problems.Enqueue(problem);
        }
    }

    public override string ToString() =>
        $"{Sent} sent on {Connects} connection(s), answers {string.Join(", ", Statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"))}"
        + $"{(Statuses.IsEmpty ? "none" : "")}, {(InFlightAtEnd is { } reset ? $"{reset} in flight at the reset" : "drained")}, {ProblemCount} problem(s)";
}

/// <summary>One connection of <see cref="HookLoad"/>: send, read the answer, again; reconnect when the node closes.</summary>
internal sealed class HookConnection(IPEndPoint endpoint, string header, HookRound round, TimeSpan answerWithin)
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private volatile Socket? _socket;
    private volatile bool _reset;
    private volatile bool _inFlight;

    public bool InFlight => _inFlight;

    /// <summary>Resets the connection: linger 0, so the close is an RST, whatever is in flight.</summary>
    public void Reset()
    {
        _reset = true;
        var socket = _socket;
        if (socket is null)
        {
            return;
        }
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
        socket.Dispose();
    }

    public async Task RunAsync(ChatIds ids, CancellationToken stopSending, CancellationToken stop)
    {
        try
        {
            while (!stopSending.IsCancellationRequested && !_reset)
            {
                var socket = _socket;
                if (socket is null)
                {
                    socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    _socket = socket;
                    _start = _end = 0;
                    try
                    {
                        await socket.ConnectAsync(endpoint, stop);
                    }
                    catch (SocketException e)
                    {
                        round.Problem($"connect: {e.SocketErrorCode}");
                        Drop();
                        await Task.Delay(50, stop);
                        continue;
                    }
                    Interlocked.Increment(ref round.Connects);
                    if (_reset)
                    {
                        break;
                    }
                }
                var chatId = ids.Next();
                var body = SeedBodies.ConversationUtf8(chatId);
                var request = Encoding.ASCII.GetBytes(header + body.Length.ToString(CultureInfo.InvariantCulture) + "\r\n\r\n").Concat(body).ToArray();
                _inFlight = true;
                await socket.SendAsync(request, SocketFlags.None, stop);
                Interlocked.Increment(ref round.Sent);
                using var answerTimeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
                answerTimeout.CancelAfter(answerWithin);
                Answer answer;
                try
                {
                    answer = await ReadAnswerAsync(socket, answerTimeout.Token);
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested && !_reset)
                {
                    round.Problem($"chat {chatId}: no answer within {answerWithin.TotalSeconds:0} s");
                    Drop();
                    continue;
                }
                _inFlight = false;
                round.Statuses.AddOrUpdate(answer.Status, 1, (_, n) => n + 1);
                if (answer.Status == 200)
                {
                    round.Stored.Add(chatId);
                }
                else if (answer.Status == 503)
                {
                    if (answer.RetryAfter is null || answer.ContentType?.StartsWith("application/problem+json", StringComparison.Ordinal) != true)
                    {
                        round.Problem($"chat {chatId}: 503 without Retry-After or not a problem detail (Retry-After: {answer.RetryAfter ?? "none"}, "
                            + $"Content-Type: {answer.ContentType ?? "none"}): {answer.Body}");
                    }
                }
                else
                {
                    round.Problem($"chat {chatId}: {answer.Status} {answer.Body}");
                }
                if (answer.Close)
                {
                    Drop();
                }
            }
        }
        catch (Exception) when (_reset || stop.IsCancellationRequested)
        {
            // This round's end reset the connection under the request: the answer will never be known.
        }
        catch (Exception e) when (e is SocketException or IOException or EndOfStreamException)
        {
            round.Problem($"the node closed a connection: {e.Message}");
        }
        finally
        {
            if (!_reset)
            {
                Drop();
            }
        }
    }

    private void Drop()
    {
        _inFlight = false;
        var socket = _socket;
        _socket = null;
        socket?.Dispose();
    }

    private sealed record Answer(int Status, string? RetryAfter, string? ContentType, bool Close, string Body);

    private async Task<Answer> ReadAnswerAsync(Socket socket, CancellationToken cancellationToken)
    {
        var statusLine = await ReadLineAsync(socket, cancellationToken);
        var parts = statusLine.Split(' ', 3);
        if (parts.Length < 2 || !parts[0].StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            throw new IOException($"not an HTTP status line: {statusLine}");
        }
        var status = int.Parse(parts[1], CultureInfo.InvariantCulture);
        string? retryAfter = null, contentType = null;
        long? length = null;
        bool chunked = false, close = false;
        while (await ReadLineAsync(socket, cancellationToken) is { Length: > 0 } line)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                length = long.Parse(value, CultureInfo.InvariantCulture);
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                chunked = value.Contains("chunked", StringComparison.OrdinalIgnoreCase);
            }
            else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                close = value.Contains("close", StringComparison.OrdinalIgnoreCase);
            }
            else if (name.Equals("Retry-After", StringComparison.OrdinalIgnoreCase))
            {
                retryAfter = value;
            }
            else if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = value;
            }
        }
        var body = new StringBuilder();
        if (chunked)
        {
            while (true)
            {
                var sizeLine = await ReadLineAsync(socket, cancellationToken);
                var size = int.Parse(sizeLine.Split(';')[0].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (size == 0)
                {
                    while ((await ReadLineAsync(socket, cancellationToken)).Length > 0)
                    {
                    }
                    break;
                }
                await ReadBodyAsync(socket, size, body, cancellationToken);
                await ReadLineAsync(socket, cancellationToken);
            }
        }
        else if (length is { } n)
        {
            await ReadBodyAsync(socket, n, body, cancellationToken);
        }
        else if (status is not (204 or 304) && status >= 200)
        {
            close = true; // no length: the body runs to the end of the connection, which is dropped
        }
        return new Answer(status, retryAfter, contentType, close, body.ToString());
    }

    private async Task ReadBodyAsync(Socket socket, long count, StringBuilder body, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            if (_start == _end)
            {
                await FillAsync(socket, cancellationToken);
            }
            var take = (int)Math.Min(count, _end - _start);
            if (body.Length < 1000)
            {
                body.Append(Encoding.UTF8.GetString(_buffer, _start, Math.Min(take, 1000 - body.Length)));
            }
            _start += take;
            count -= take;
        }
    }

    private async Task<string> ReadLineAsync(Socket socket, CancellationToken cancellationToken)
    {
        while (true)
        {
            var at = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8);
            if (at >= 0)
            {
                var line = Encoding.ASCII.GetString(_buffer, _start, at);
                _start += at + 2;
                return line;
            }
            await FillAsync(socket, cancellationToken);
        }
    }

    private async Task FillAsync(Socket socket, CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            throw new IOException("an answer's header line is longer than the read buffer");
        }
        var read = await socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellationToken);
        if (read == 0)
        {
            throw new EndOfStreamException("the node closed the connection before its answer was complete");
        }
        _end += read;
    }
}
