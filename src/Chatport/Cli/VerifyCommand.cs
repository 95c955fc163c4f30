using System.CommandLine;
using System.Globalization;
using Chatport.Cli.Remote;
using Chatport.Delivery.Signing;

namespace Chatport.Cli;

/// <summary>
/// <c>chatport verify --secret S --id ID --timestamp TS --signature SIG [FILE|-]</c>: checks a Standard Webhooks
/// signature of a body with <see cref="WebhookVerifier"/>, the rule inbound hooks use too. Exit 0 valid, 1 not, 2 usage.
/// </summary>
internal static class VerifyCommand
{
    public static Command Build()
    {
        var secret = new Option<string>("--secret") { Description = "The signing secret, whsec_… (the prefix may be left out).", Required = true };
        var id = new Option<string>("--id") { Description = "The webhook-id header.", Required = true };
        var timestamp = new Option<string>("--timestamp") { Description = "The webhook-timestamp header (Unix seconds).", Required = true };
        var signature = new Option<string>("--signature")
        {
            Description = "The webhook-signature header: one or more space-separated v1,… signatures.",
            Required = true,
        };
        var tolerance = new Option<int?>("--tolerance")
        {
            Description = "Also refuse a timestamp more than this many seconds from now (receivers use 300). Without it the age is not checked, "
                + "so a body saved earlier verifies.",
        };
        var file = new Argument<string?>("file")
        {
            Description = "The body, byte for byte as received; - or nothing reads standard input.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command("verify", "Check a Standard Webhooks signature (webhook-id, webhook-timestamp, webhook-signature) of a body "
            + "read from a file or standard input. Exits 0 when a signature matches, 1 when none does, 2 on a usage error.")
        {
            secret, id, timestamp, signature, tolerance, file,
        };
        tolerance.Check(seconds => seconds >= 0, "--tolerance must be 0 or more seconds.");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var text = parseResult.GetValue(secret)!.Trim();
            WebhookSecret key;
            try
            {
                key = WebhookSecret.Parse(text.StartsWith(WebhookSecret.Prefix, StringComparison.Ordinal) ? text : WebhookSecret.Prefix + text);
            }
            catch (FormatException e)
            {
                await Console.Error.WriteLineAsync($"--secret: {e.Message}");
                return ExitCodes.Usage;
            }

            byte[] body;
            var path = parseResult.GetValue(file);
            try
            {
                if (path is null or "-")
                {
                    if (!Console.IsInputRedirected)
                    {
                        await Console.Error.WriteLineAsync("Give the body: a FILE, or pipe it on standard input (chatport verify … < body.json).");
                        return ExitCodes.Usage;
                    }
                    using var input = Console.OpenStandardInput();
                    using var buffer = new MemoryStream();
                    await input.CopyToAsync(buffer, cancellationToken);
                    body = buffer.ToArray();
                }
                else
                {
                    body = await File.ReadAllBytesAsync(path, cancellationToken);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"Cannot read {path ?? "standard input"}: {e.Message}");
                return ExitCodes.Usage;
            }

            var idValue = parseResult.GetValue(id);
            var timestampValue = parseResult.GetValue(timestamp);
            var header = parseResult.GetValue(signature)!;
            // Without --tolerance any age passes: the verifier's bounds do not overflow at TimeSpan.MaxValue.
            var window = parseResult.GetValue(tolerance) is { } seconds ? TimeSpan.FromSeconds(seconds) : TimeSpan.MaxValue;
            var now = TimeProvider.System.GetUtcNow();

            var verdict = WebhookVerifier.Verify(idValue, timestampValue, header, body, key, now, window);
            if (!verdict.IsValid)
            {
                await Console.Out.WriteLineAsync($"Invalid: {Explain(verdict.Error!)}.");
                return ExitCodes.Refused;
            }

            // Which one: each entry of the header checked alone, with the same verifier.
            var entries = header.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            for (var i = 0; i < entries.Length; i++)
            {
                if (WebhookVerifier.Verify(idValue, timestampValue, entries[i], body, key, now, window).IsValid)
                {
                    await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"Valid: signature {i + 1} of {entries.Length} matches ({Short(entries[i])}), over {body.Length} bytes."));
                    return ExitCodes.Ok;
                }
            }
            await Console.Out.WriteLineAsync("Valid.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Short(string signature) => signature.Length > 12 ? signature[..12] + "…" : signature;

    private static string Explain(string error) => error switch
    {
        WebhookVerifier.NoMatch => "wrong signature: no v1 signature in --signature matches this body, id and timestamp under this secret",
        WebhookVerifier.InvalidTimestamp => "the timestamp is not a number (expected integer Unix seconds)",
        WebhookVerifier.TooOld => "the timestamp is older than --tolerance allows",
        WebhookVerifier.TooNew => "the timestamp is further ahead than --tolerance allows",
        _ => error,
    };
}
