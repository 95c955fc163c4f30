using System.Net;
using System.Net.Http;

namespace Chatport.Delivery.Safety;

/// <summary>
/// A delivery target was refused by the SSRF guard before any socket was opened: its host is, or resolves to,
/// an address that <see cref="AddressPolicy"/> blocks (or its port is 0). Thrown from the handler's
/// <see cref="SocketsHttpHandler.ConnectCallback"/>; <see cref="HttpClient"/> surfaces it as the
/// <see cref="Exception.InnerException"/> of the <see cref="HttpRequestException"/> it throws.
/// </summary>
public sealed class BlockedTargetException : HttpRequestException
{
    public BlockedTargetException()
        : this("The delivery target is not allowed.")
    {
    }

    public BlockedTargetException(string? message)
        : this(message, innerException: null)
    {
    }

    public BlockedTargetException(string? message, Exception? innerException)
        : base(HttpRequestError.ConnectionError, message, innerException)
    {
        Host = string.Empty;
        Reason = message ?? string.Empty;
    }

    public BlockedTargetException(string host, IPAddress? address, string reason)
        : base(HttpRequestError.ConnectionError, BuildMessage(host, address, reason))
    {
        Host = host;
        Address = address;
        Reason = reason;
    }

    /// <summary>The host of the request URL, as the handler saw it.</summary>
    public string Host { get; }

    /// <summary>The blocked address, or null when the refusal is not about an address (port 0).</summary>
    public IPAddress? Address { get; }

    /// <summary>Why, e.g. "10.0.0.5 is a private address (RFC 1918)".</summary>
    public string Reason { get; }

    private static string BuildMessage(string host, IPAddress? address, string reason)
    {
        var target = address is null || host == address.ToString() ? $"'{host}'" : $"'{host}' ({address})";
        return $"Blocked delivery target {target}: {reason}. "
            + "Set Chatport:Delivery:AllowPrivateTargets to true to allow private targets.";
    }
}
