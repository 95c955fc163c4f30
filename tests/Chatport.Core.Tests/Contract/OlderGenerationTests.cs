using System.Text.Json.Nodes;
using Chatport.Contract;

namespace Chatport.Tests.Contract;

public sealed class OlderGenerationTests
{
    [Fact]
    public void GroupKey_becomes_group()
    {
        var conversation = ConversationNormalizer.Normalize(ContractJson.Parse(Samples.OlderGeneration));

        Assert.Equal("sales", conversation.Visitor.Value!.Group.Value);
        var visitor = JsonNode.Parse(ContractJson.Serialize(conversation))!["visitor"]!.AsObject();
        Assert.False(visitor.ContainsKey("groupKey"));
        Assert.Equal("sales", (string?)visitor["group"]);
    }

    [Fact]
    public void Bare_from_ids_get_their_types_prefix_and_system_stays()
    {
        var messages = ConversationNormalizer.Normalize(ContractJson.Parse(Samples.OlderGeneration)).Messages!;

        Assert.Equal("visitor:mxTiqn9adr2h39kmzAJ0FeaTGFJhmjio0R41491503012015", messages[0].From.Value);
        Assert.Equal("agent:3", messages[1].From.Value);
        Assert.Equal("system", messages[2].From.Value); // the trigger message
        Assert.Equal("agent:3", messages[3].From.Value);
        Assert.Equal("system", messages[5].From.Value);
    }

    [Fact]
    public void Message_email_is_dropped()
    {
        var written = JsonNode.Parse(ContractJson.Serialize(ConversationNormalizer.Normalize(ContractJson.Parse(Samples.OlderGeneration))))!;

        foreach (var message in written["messages"]!.AsArray())
        {
            Assert.False(message!.AsObject().ContainsKey("email"), message.ToJsonString());
        }
    }

    [Fact]
    public void Normalized_older_generation_is_the_current_one()
    {
        var normalized = JsonNode.Parse(ContractJson.Serialize(ConversationNormalizer.Normalize(ContractJson.Parse(Samples.OlderGeneration))))!;
        var current = JsonNode.Parse(Samples.Seed)!;
        current["visitor"]!["group"] = "sales";

        Assert.True(JsonNode.DeepEquals(current, normalized), normalized.ToJsonString());
    }

    [Fact]
    public void A_current_generation_document_is_left_as_it_is()
    {
        var normalized = JsonNode.Parse(ContractJson.Serialize(ConversationNormalizer.Normalize(ContractJson.Parse(Samples.Seed))));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Samples.Seed), normalized));
    }

    [Fact]
    public void An_explicit_group_wins_over_groupKey()
    {
        var body = """{"channel":{"id":1},"visitor":{"group":"a","groupKey":"b"},"messages":[]}"""u8.ToArray();

        var conversation = ConversationNormalizer.Normalize(ContractJson.Parse(body));

        Assert.Equal("a", conversation.Visitor.Value!.Group.Value);
        Assert.Null(conversation.Visitor.Value.Extra);
    }
}
