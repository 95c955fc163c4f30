using System.Text;
using Chatport.Contract;

namespace Chatport.Tests.Contract;

/// <summary>
/// A body that arrives names its account and chat once: <c>"accountId":309,"accountId":208</c> is read as 208 by the
/// contract's serializer and as 309 by a reader that keeps the first key, so it is refused (issue 17).
/// </summary>
public sealed class IdentityKeyTests
{
    private const string Messages = "\"messages\":[]";

    [Theory]
    [InlineData("{\"accountId\":309,\"accountId\":208,\"channel\":{\"id\":1}," + Messages + "}", "$.accountId")]
    [InlineData("{\"accountId\":309,\"account\\u0049d\":208,\"channel\":{\"id\":1}," + Messages + "}", "$.accountId")]
    [InlineData("{\"accountId\":208,\"channel\":{\"id\":1,\"id\":2}," + Messages + "}", "$.channel.id")]
    [InlineData("{\"accountId\":208,\"channel\":{\"id\":1},\"channel\":{\"id\":2}," + Messages + "}", "$.channel")]
    public void A_repeated_identity_key_is_refused_in_a_body_that_arrives(string body, string path)
    {
        var bytes = Encoding.UTF8.GetBytes(body);

        foreach (var wellFormed in new[] { false, true })
        {
            var error = Assert.Throws<ContractException>(() => ContractJson.ParseInbound(bytes, wellFormed));
            Assert.Equal(path, error.Path);
            Assert.Contains("more than once", error.Message, StringComparison.Ordinal);
        }
        // A body stored before this rule stays readable (delivery, the read API): only what arrives is refused.
        Assert.NotNull(ContractJson.Parse(bytes).Channel);
    }

    [Theory]
    [InlineData("{\"accountId\":208,\"channel\":{\"id\":1,\"extra\":{\"id\":2,\"id\":3}},\"x\":{\"accountId\":1,\"accountId\":2}," + Messages + "}")]
    [InlineData("{\"channel\":{\"id\":1},\"visitor\":{\"variables\":{\"v\":{\"label\":\"a\",\"label\":\"b\"}}}," + Messages + "}")]
    public void Other_repeated_keys_are_kept_as_before(string body)
    {
        var conversation = ContractJson.ParseInbound(Encoding.UTF8.GetBytes(body));

        Assert.Equal(1, conversation.Channel!.Id.Value);
    }

    [Fact]
    public void The_seed_sample_arrives_as_before()
    {
        var sample = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "schemas", "examples", "seed-sample.json"));

        Assert.Equal(208, ContractJson.ParseInbound(sample).AccountId.Value);
        Assert.Equal(55039, ContractJson.ParseInbound(sample).Channel!.Id.Value);
    }
}
