using System.Globalization;
using System.Text;
using Chatport.Delivery.Signing;

namespace Chatport.Tests.Cli;

/// <summary><c>chatport verify</c>, the real executable, on bodies signed by the real signer.</summary>
public sealed class VerifyTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes(SeedEvents.CompactSample());
    private static readonly WebhookSecret Old = WebhookSecret.Generate();
    private static readonly WebhookSecret New = WebhookSecret.Generate();
    private const string Id = "msg_2b1c9a0e";
    private static readonly string Timestamp = "1796140000";
    private static readonly string Header = WebhookSigner.SignatureHeader(Id, long.Parse(Timestamp, CultureInfo.InvariantCulture), Body, [New, Old]);

    private static Task<ChatportCli.Run> VerifyAsync(string secret, string timestamp, string signature, byte[]? stdin, params string[] more) =>
        ChatportCli.RunAsync(["verify", "--secret", secret, "--id", Id, "--timestamp", timestamp, "--signature", signature, .. more], stdin);

    [Fact]
    public async Task A_body_signed_by_the_signer_verifies_from_a_file_and_says_which_signature_matched()
    {
        var file = Path.Combine(Path.GetTempPath(), $"chatport-verify-{Guid.NewGuid():N}.json");
        await File.WriteAllBytesAsync(file, Body);
        try
        {
            var run = await VerifyAsync(Old.ToString(), Timestamp, Header, null, file);

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.StartsWith($"Valid: signature 2 of 2 matches (v1,", run.Output, StringComparison.Ordinal);
            Assert.Contains($"over {Body.Length} bytes", run.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Standard_input_and_a_secret_without_its_prefix_verify_too()
    {
        var run = await VerifyAsync(New.ToString()[WebhookSecret.Prefix.Length..], Timestamp, Header, Body, "-");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("Valid: signature 1 of 2 matches", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_changed_body_exits_1_as_a_wrong_signature()
    {
        var changed = (byte[])Body.Clone();
        changed[^2] ^= 1;

        var run = await VerifyAsync(New.ToString(), Timestamp, Header, changed);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("Invalid: wrong signature", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_secret_or_a_timestamp_that_is_not_a_number_exits_1_saying_why()
    {
        var stranger = await VerifyAsync(WebhookSecret.Generate().ToString(), Timestamp, Header, Body);
        Assert.Equal(1, stranger.ExitCode);
        Assert.StartsWith("Invalid: wrong signature", stranger.Output, StringComparison.Ordinal);

        var notANumber = await VerifyAsync(New.ToString(), "yesterday", Header, Body);
        Assert.Equal(1, notANumber.ExitCode);
        Assert.StartsWith("Invalid: the timestamp is not a number", notANumber.Output, StringComparison.Ordinal);

        var tooOld = await VerifyAsync(New.ToString(), Timestamp, Header, Body, "--tolerance", "300");
        Assert.Equal(1, tooOld.ExitCode);
        Assert.StartsWith("Invalid: the timestamp is older than --tolerance allows", tooOld.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_option_or_a_malformed_secret_exits_2()
    {
        var missing = await ChatportCli.RunAsync(["verify", "--secret", New.ToString(), "--id", Id, "--timestamp", Timestamp], Body);
        Assert.True(missing.ExitCode == 2, missing.ToString());
        Assert.Contains("--signature", missing.Error, StringComparison.Ordinal);

        var malformed = await VerifyAsync("whsec_not base64!", Timestamp, Header, Body);
        Assert.True(malformed.ExitCode == 2, malformed.ToString());
        Assert.StartsWith("--secret:", malformed.Error, StringComparison.Ordinal);
    }
}
