namespace Chatport.Tests;

/// <summary>The contract's example documents, shipped under schemas/ and copied beside the tests.</summary>
internal static class Samples
{
    public static string PathOf(string relative) => Path.Combine(AppContext.BaseDirectory, "schemas", relative);

    public static byte[] Seed => File.ReadAllBytes(PathOf("examples/seed-sample.json"));

    public static byte[] OlderGeneration => File.ReadAllBytes(PathOf("examples/older-generation.json"));

    public static string Schema => File.ReadAllText(PathOf("conversation.schema.json"));
}
