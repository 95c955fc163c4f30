using System.Text.Json;
using Json.Schema;

namespace Chatport.Tests.Contract;

public sealed class SchemaTests
{
    private static readonly JsonSchema Schema = JsonSchema.FromText(Samples.Schema);

    private static EvaluationResults Evaluate(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    [Fact]
    public void The_seed_sample_is_valid()
    {
        var result = Evaluate(File.ReadAllText(Samples.PathOf("examples/seed-sample.json")));

        Assert.True(result.IsValid, JsonSerializer.Serialize(result));
    }

    [Fact]
    public void The_older_generation_is_valid()
    {
        Assert.True(Evaluate(File.ReadAllText(Samples.PathOf("examples/older-generation.json"))).IsValid);
    }

    [Theory]
    [InlineData("""{"messages":[]}""")]
    [InlineData("""{"channel":{"id":"55039"},"messages":[]}""")]
    [InlineData("""{"channel":{"id":1},"messages":[{"sentAt":"now"}]}""")]
    [InlineData("""{"channel":{"id":1,"rating":"five"},"messages":[]}""")]
    [InlineData("""{"channel":{"id":1}}""")]
    public void Documents_that_break_the_contract_are_invalid(string json)
    {
        Assert.False(Evaluate(json).IsValid);
    }
}
