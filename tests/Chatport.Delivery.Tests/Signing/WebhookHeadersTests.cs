using Chatport.Delivery.Signing;

namespace Chatport.Tests.Signing;

public sealed class WebhookHeadersTests
{
    [Fact]
    public void Header_names_are_the_specification_ones()
    {
        Assert.Equal("webhook-id", WebhookHeaders.Id);
        Assert.Equal("webhook-timestamp", WebhookHeaders.Timestamp);
        Assert.Equal("webhook-signature", WebhookHeaders.Signature);
    }
}
