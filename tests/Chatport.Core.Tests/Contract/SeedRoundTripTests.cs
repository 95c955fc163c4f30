using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Chatport.Contract;

namespace Chatport.Tests.Contract;

public sealed class SeedRoundTripTests
{
    [Fact]
    public void The_seed_sample_round_trips_to_the_same_document()
    {
        var original = JsonNode.Parse(Samples.Seed);

        var written = JsonNode.Parse(ContractJson.Serialize(ContractJson.Parse(Samples.Seed)));

        Assert.True(JsonNode.DeepEquals(original, written), $"Round trip changed the document:\n{written}");
    }

    [Fact]
    public void The_first_message_stays_without_a_name_and_nulls_stay_null()
    {
        var conversation = ContractJson.Parse(Samples.Seed);
        var written = JsonNode.Parse(ContractJson.Serialize(conversation))!;

        var first = written["messages"]![0]!.AsObject();
        Assert.False(first.ContainsKey("name"));
        Assert.True(first.ContainsKey("triggeredBy"));
        Assert.Null(first["triggeredBy"]);
        Assert.True(written["visitor"]!.AsObject().ContainsKey("group"));
        Assert.Null(written["visitor"]!["group"]);
        Assert.Equal("", (string?)written["channel"]!["ratingDesc"]);
    }

    [Fact]
    public void The_typed_values_are_the_samples()
    {
        var c = ContractJson.Parse(Samples.Seed);

        Assert.Equal(208, c.AccountId.Value);
        Assert.Equal(1427470439703, c.BeginAt.Value);
        Assert.Equal(55039, c.Channel!.Id.Value);
        Assert.Equal(36, c.Channel.Duration.Value);
        Assert.Equal(5, c.Channel.Rating.Value);
        Assert.Equal("Brno", c.Visitor.Value!.Country.Value); // kept as given, odd as it is
        Assert.Equal(6, c.Messages!.Count);
        Assert.Equal("Test Trigger", c.Messages[2].TriggeredBy.Value);
        Assert.Equal(JsonValueKind.Number, c.Visitor.Value.Variables.Value!["chatId"].Value.Value.ValueKind);
        Assert.Equal("1234", c.Visitor.Value.Variables.Value["userId"].Value.Value.GetString());
    }

    [Theory]
    [InlineData("42")]
    [InlineData("\"text\"")]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("4.5")]
    [InlineData("{\"nested\":[1,2]}")]
    public void A_variable_value_of_any_json_type_is_kept(string value)
    {
        var body = """{"channel":{"id":1},"visitor":{"variables":{"v":{"label":"V","value":""" + value + "}}},\"messages\":[]}";

        var written = JsonNode.Parse(ContractJson.Serialize(ContractJson.Parse(Encoding.UTF8.GetBytes(body))));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(body), written), written!.ToJsonString());
    }

    [Fact]
    public void Absent_keys_stay_absent_and_unknown_fields_are_kept()
    {
        const string body = """
            {"channel":{"id":7,"custom":{"a":1}},"visitor":{"name":null},"messages":[{"type":"visitor","content":"hi","extra":[true]}],"vendorField":"x"}
            """;

        var written = JsonNode.Parse(ContractJson.Serialize(ContractJson.Parse(Encoding.UTF8.GetBytes(body))));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(body), written), written!.ToJsonString());
    }

    [Fact]
    public void Unicode_is_written_as_text_and_survives()
    {
        const string body = """{"channel":{"id":1},"messages":[{"type":"visitor","content":"Dušan říká ahoj 👋"}]}""";

        var written = Encoding.UTF8.GetString(ContractJson.Serialize(ContractJson.Parse(Encoding.UTF8.GetBytes(body))));

        Assert.Contains("Dušan říká ahoj", written, StringComparison.Ordinal);
        Assert.Equal("Dušan říká ahoj 👋", (string?)System.Text.Json.Nodes.JsonNode.Parse(written)!["messages"]![0]!["content"]);
    }
}
