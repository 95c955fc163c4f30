using System.Net;
using System.Net.Http;

namespace Chatport.Delivery.Safety;

/// <summary>
/// A delivery target was refused by the SSRF guard before any socket was opened: its host is, or resolves to,
/// an address that <see cref="AddressPolicy"/> blocks (or its port is 0). Thrown from the handler's
/// <see cref="SocketsHttpHandler.ConnectCallback"/>; <see cref="HttpClient"/> surfaces it as the
/// <see cref="Exception.InnerException"/> of the <see cref="HttpRequestException"/> it throws.
/// Its <see cref="Exception.Message"/> reaches the account (the delivery log, <c>POST …/test</c>), so when the address
/// came from DNS it says only that the target is not allowed: naming the address an internal name resolves to would
/// make Chatport a DNS oracle of the network it runs in. An address the user typed (a literal host) is named.
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

    /// <param name="resolved">The address is one <paramref name="host"/> resolved to (not the host itself): the message does not name it.</param>
    public BlockedTargetException(string host, IPAddress? address, string reason, bool resolved = false)
        : base(HttpRequestError.ConnectionError, BuildMessage(host, address, reason, resolved))
    {
        Host = host;
        Address = address;
        Reason = reason;
    }

    /// <summary>What the message says instead of the reason when the blocked address came from DNS.</summary>
    public const string ResolvedReason = "it resolves to an address that is not allowed (private, loopback or reserved)";

    /// <summary>The host of the request URL, as the handler saw it.</summary>
    public string Host { get; }

    /// <summary>The blocked address, or null when the refusal is not about an address (port 0). For this process only: never shown to an account.</summary>
    public IPAddress? Address { get; }

    /// <summary>Why, e.g. "10.0.0.5 is a private address (RFC 1918)", even for a resolved address: for this process only, never shown to an account.</summary>
    public string Reason { get; }

    private static string BuildMessage(string host, IPAddress? address, string reason, bool resolved) =>
        $"Blocked delivery target '{host}': {(address is not null && resolved ? ResolvedReason : reason)}. "
        + "Set Chatport:Delivery:AllowPrivateTargets to true to allow private targets.";
}
