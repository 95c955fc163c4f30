using Chatport.Delivery.Safety;

namespace Chatport.Delivery.Destinations.Email;

/// <summary>Checks an <c>email</c> destination's fields; every problem is reported by field, in plain words.</summary>
internal static class EmailSettings
{
    public const int MaxHostLength = 253;
    public const int MaxUsernameLength = 256;
    public const int MaxPasswordLength = 256;
    public const int MaxSubjectLength = 200;
    public const int MaxAddressLength = 320;

    public static void CheckHost(string? host, bool allowPrivateTargets, FieldErrors errors)
    {
        if (errors.Has("host"))
        {
            return;
        }
        var name = host?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            errors.Add("host", "host is required: the SMTP server's name or address, e.g. smtp.example.com.");
            return;
        }
        var isAddress = HostSpelling.TryParseAddress(name, out var address);
        if (name.Length > MaxHostLength || (!isAddress && !IsHostName(name)))
        {
            errors.Add("host", $"host must be a host name or an IP address (at most {MaxHostLength} characters), such as smtp.example.com; not \"{Short(name)}\".");
            return;
        }
        if (allowPrivateTargets)
        {
            return;
        }
        var bare = name.TrimEnd('.');
        if (bare.Equals("localhost", StringComparison.OrdinalIgnoreCase) || bare.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add("host", $"host is this machine ({name}). Set Chatport:Delivery:AllowPrivateTargets to true to allow it.");
        }
        else if (isAddress && AddressPolicy.IsBlocked(address!, out var reason))
        {
            errors.Add("host", $"host is a private address: {reason}. Set Chatport:Delivery:AllowPrivateTargets to true to allow it.");
        }
    }

    public static void CheckTls(string? tls, bool required, FieldErrors errors)
    {
        if (tls is not null && tls is not (EmailConfig.None or EmailConfig.StartTls or EmailConfig.TlsOnConnect))
        {
            errors.Add("tls", $"tls must be \"starttls\", \"tls\" or \"none\", not \"{Short(tls)}\".");
        }
        else if (required && tls is null && !errors.Has("tls"))
        {
            errors.Add("tls", "tls is required: \"starttls\" (port 587, usually), \"tls\" (port 465) or \"none\" (port 25, in the clear).");
        }
    }

    /// <summary>A free-text field: at most <paramref name="max"/> characters, on one line.</summary>
    public static void CheckText(string field, string? value, int max, FieldErrors errors)
    {
        if (value is null)
        {
            return;
        }
        if (value.Length > max)
        {
            errors.Add(field, $"{field} must be at most {max} characters.");
        }
        else if (value.Any(char.IsControl))
        {
            errors.Add(field, $"{field} must be one line, without control characters.");
        }
    }

    public static void CheckAddress(string field, string value, FieldErrors errors)
    {
        if (value.Length > MaxAddressLength || EmailMessages.Mailbox(value.Trim()) is null)
        {
            errors.Add(field, $"{field} must be one e-mail address, such as chats@example.com or \"Chats <chats@example.com>\"; not \"{Short(value)}\".");
        }
    }

    public static void CheckRecipients(List<string>? to, int max, FieldErrors errors)
    {
        if (to is null)
        {
            return;
        }
        if (to.Count > max)
        {
            errors.Add("to", $"to may name at most {max} addresses, not {to.Count}.");
            return;
        }
        for (var i = 0; i < to.Count && !errors.Has("to"); i++)
        {
            if (to[i].Length > MaxAddressLength || EmailMessages.Mailbox(to[i].Trim()) is null)
            {
                errors.Add("to", $"to[{i}] must be an e-mail address, such as team@example.com; not \"{Short(to[i])}\".");
            }
        }
    }

    /// <summary>Letters, digits and hyphens in dot-separated labels of at most 63 characters (one trailing dot allowed).</summary>
    private static bool IsHostName(string name)
    {
        var labels = name.TrimEnd('.').Split('.');
        return labels.All(label => label.Length is > 0 and <= 63 && label[0] != '-' && label[^1] != '-'
            && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'));
    }

    /// <summary>A value quoted back in a message: at most 100 characters.</summary>
    private static string Short(string value) => value.Length <= 100 ? value : value[..100] + "…";
}
