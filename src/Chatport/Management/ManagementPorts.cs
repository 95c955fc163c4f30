using System.Globalization;

namespace Chatport.Management;

/// <summary>
/// The ports of <c>Chatport:Management:Urls</c>. A request is on the management port when the connection's own
/// local port is one of them — what the client dialled, which no header can change.
/// </summary>
internal sealed class ManagementPorts(IReadOnlySet<int> ports)
{
    public static ManagementPorts None { get; } = new(new HashSet<int>());

    public bool Any => ports.Count > 0;

    public bool Contains(int port) => ports.Contains(port);

    /// <summary>
    /// The ports of <paramref name="urls"/>; each needs an explicit port of its own, other than those of
    /// <paramref name="publicUrls"/> (a <c>:0</c> one is chosen at start and cannot be told apart).
    /// </summary>
    /// <exception cref="InvalidOperationException">A URL is not usable, with the reason in plain words.</exception>
    public static ManagementPorts Parse(string urls, string publicUrls)
    {
        var publicPorts = Split(publicUrls).Select(u => TryPort(u)).ToHashSet();
        var ports = new HashSet<int>();
        foreach (var url in Split(urls))
        {
            if (TryPort(url) is not { } port || port == 0)
            {
                throw new InvalidOperationException(
                    $"Chatport:Management:Urls: '{url}' must be http:// or https:// with a host and a port of its own, for example http://127.0.0.1:9464.");
            }
            if (publicPorts.Contains(port))
            {
                throw new InvalidOperationException(
                    $"Chatport:Management:Urls: port {port.ToString(CultureInfo.InvariantCulture)} is the API's too; the management port needs one of its own.");
            }
            ports.Add(port);
        }
        return new ManagementPorts(ports);
    }

    private static IEnumerable<string> Split(string urls) =>
        urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static int? TryPort(string url)
    {
        try
        {
            var address = BindingAddress.Parse(url);
            return address.IsUnixPipe || address.IsNamedPipe ? null : address.Port;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
