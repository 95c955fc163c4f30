using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Chatport.Contract;

namespace Chatport.Tests.Contract;

/// <summary>
/// The scanner against the full parse, document for document: it may only answer "valid" (a head) where
/// <see cref="ContractJson.Parse(ReadOnlySpan{byte})"/> accepts the document, with the same head, of the current
/// generation. The corpus is the seed with every key removed, given every kind of value, repeated, escaped, and
/// joined by unknown keys.
/// </summary>
public sealed class ContractScannerTests
{
    private const string Marker = "@@marker@@";

    private static readonly string[] Values =
    [
        "null", "0", "-1", "1.5", "1e3", "9223372036854775807", "9223372036854775808", "2147483648", "-2147483649",
        "\"x\"", "\"\"", "\"a\\nb\\u00e9\"", "\"\\ud800\"", "\"system\"", "\"visitor\"", "\"agent\"", "\"agent:7\"", "\"7\"",
        "true", "false", "{}", "[]", "[null]", "[{}]", "[1]", "{\"a\":null}", "{\"a\":{}}", "{\"a\":1}",
        "{\"label\":\"l\",\"value\":[1,{\"b\":null}]}",
    ];

    [Fact]
    public void The_seed_and_its_escaped_text_are_read_without_building_them()
    {
        var head = Scan(Samples.Seed);

        Assert.NotNull(head);
        Assert.Equal(208, head.AccountId.Value);
        Assert.Equal(55039, head.ChatId);
        Assert.Equal(["completed"], head.Kinds);
        Assert.Equal(1427470439703, head.BeginAt.Value);
        Assert.Equal(1427470476687, head.EndAt.Value);
        var escaped = Encoding.UTF8.GetString(Samples.Seed).Replace("\"Hello\"", "\"He said \\\"hi\\\"\\n\\u00e9\"", StringComparison.Ordinal);
        Assert.NotNull(Scan(Encoding.UTF8.GetBytes(escaped)));
    }

    [Fact]
    public void The_older_generation_is_left_to_the_full_parse()
    {
        Assert.Null(Scan(Samples.OlderGeneration));
        var seed = JsonNode.Parse(Samples.Seed)!;
        seed["messages"]![0]!["from"] = "12345";
        Assert.Null(Scan(Encoding.UTF8.GetBytes(seed.ToJsonString())));
    }

    [Fact]
    public void It_never_accepts_what_the_full_parse_refuses_and_agrees_on_what_it_accepts()
    {
        var documents = Corpus().ToList();
        var sure = 0;
        var refusedByBoth = 0;
        foreach (var text in documents)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            ConversationHead? head;
            try
            {
                head = Scan(bytes);
            }
            catch (JsonException)
            {
                Assert.Throws<ContractException>(() => ContractJson.Parse(bytes));
                continue;
            }
            Conversation? parsed;
            try
            {
                parsed = ContractJson.Parse(bytes);
            }
            catch (ContractException)
            {
                Assert.True(head is null, $"The scanner accepted what the full parse refuses: {text}");
                refusedByBoth++;
                continue;
            }
            if (head is null)
            {
                continue;
            }
            sure++;
            Assert.False(ConversationNormalizer.IsOlderGeneration(parsed), text);
            var expected = ConversationHead.Of(parsed);
            Assert.Equal(expected.AccountId, head.AccountId);
            Assert.Equal(expected.BeginAt, head.BeginAt);
            Assert.Equal(expected.EndAt, head.EndAt);
            Assert.Equal(expected.ChatId, head.ChatId);
            Assert.Equal(expected.Kinds, head.Kinds);
        }
        // The corpus exercises both answers many times over (a scanner that always said "not sure" would fail here).
        Assert.True(sure > documents.Count / 4, $"{sure} of {documents.Count} read by the scanner");
        Assert.True(refusedByBoth > documents.Count / 4, $"{refusedByBoth} of {documents.Count} refused");
    }

    [Fact]
    public void A_whole_document_is_vouched_for_only_when_it_is_one_valid_conversation_and_nothing_else()
    {
        var seed = Encoding.UTF8.GetString(Samples.Seed);
        var head = ContractScanner.ScanDocument(Samples.Seed);
        Assert.NotNull(head);
        Assert.Equal((208L, 55039L), (head.AccountId.Value, head.ChatId));
        Assert.NotNull(ContractScanner.ScanDocument(Encoding.UTF8.GetBytes("  \n" + seed + " \r\n")));

        // Each of these the full parse must decide: it refuses all but the older generation, which it accepts.
        string[] others =
        [
            seed + " {}", seed + "x", "[" + seed + "]", seed.TrimEnd()[..^1], "", "   ", "null", "42", "\"text\"",
            seed.Replace("\"accountId\": 208,", "\"accountId\": 208, \"accountId\": 209,", StringComparison.Ordinal),
        ];
        foreach (var text in others)
        {
            Assert.True(ContractScanner.ScanDocument(Encoding.UTF8.GetBytes(text)) is null, text.Length > 40 ? text[^40..] : text);
            Assert.Throws<ContractException>(() => ContractJson.ParseInbound(Encoding.UTF8.GetBytes(text)));
        }
        Assert.Null(ContractScanner.ScanDocument([0xC3, 0x28])); // not UTF-8
        Assert.Null(ContractScanner.ScanDocument(Samples.OlderGeneration));
        ContractJson.ParseInbound(Samples.OlderGeneration);
        var deep = new string('[', 70) + new string(']', 70);
        Assert.Null(ContractScanner.ScanDocument(Encoding.UTF8.GetBytes(deep)));
    }

    private static ConversationHead? Scan(byte[] json)
    {
        Assert.True(System.Text.Unicode.Utf8.IsValid(json));
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = ContractJson.MaxDepth });
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("not an object");
        }
        var head = ContractScanner.Scan(ref reader);
        Assert.Equal(JsonTokenType.EndObject, reader.TokenType);
        Assert.Equal(0, reader.CurrentDepth);
        Assert.False(reader.Read());
        return head;
    }

    /// <summary>Every key of the seed changed every way, as JSON text.</summary>
    private static IEnumerable<string> Corpus()
    {
        var seed = JsonNode.Parse(Samples.Seed)!;
        yield return seed.ToJsonString();
        foreach (var (parent, key) in Keys(seed))
        {
            var original = parent[key]!?.ToJsonString() ?? "null";

            var removed = seed.DeepClone();
            Find(removed, parent.GetPath()).AsObject().Remove(key);
            yield return removed.ToJsonString();

            foreach (var value in Values)
            {
                yield return With(seed, parent, key, value);
            }
            yield return With(seed, parent, key, $"{original},\"{key}\":{original}"); // repeated, same value
            yield return With(seed, parent, key, $"{original},\"{key}\":null");
            foreach (var sibling in new[] { "zzz", "groupKey", "email", "extra", "Extra", "$id", "id", "ID" })
            {
                yield return With(seed, parent, key, $"{original},\"{sibling}\":\"s\"");
                yield return With(seed, parent, key, $"{original},\"{sibling}\":{{\"n\":[1]}}");
            }
            var escapedKey = seed.ToJsonString().Replace($"\"{key}\":", $"\"\\u{(int)key[0]:x4}{key[1..]}\":", StringComparison.Ordinal);
            yield return escapedKey;
        }
        foreach (var variable in new[] { "{\"a\":{},\"a\":{}}", "{\"a\":{},\"a\":null}", "{\"\\u0061\":{}}", "{\"\\ud800\":{}}", "{\"a\":{\"label\":\"\\ud800\"}}" })
        {
            var copy = seed.DeepClone();
            copy["visitor"]!["variables"] = Marker;
            yield return copy.ToJsonString().Replace($"\"{Marker}\"", variable, StringComparison.Ordinal);
        }
    }

    private static string With(JsonNode seed, JsonNode parent, string key, string rawValue)
    {
        var copy = seed.DeepClone();
        Find(copy, parent.GetPath())[key] = Marker;
        return copy.ToJsonString().Replace($"\"{Marker}\"", rawValue, StringComparison.Ordinal);
    }

    private static JsonNode Find(JsonNode root, string path)
    {
        var node = root;
        foreach (var part in path.TrimStart('$').Split(['.', '['], StringSplitOptions.RemoveEmptyEntries))
        {
            node = part.EndsWith(']') ? node[int.Parse(part.TrimEnd(']'), System.Globalization.CultureInfo.InvariantCulture)]! : node[part]!;
        }
        return node;
    }

    private static IEnumerable<(JsonNode Parent, string Key)> Keys(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o.ToList())
                {
                    yield return (o, key);
                    if (value is not null)
                    {
                        foreach (var inner in Keys(value))
                        {
                            yield return inner;
                        }
                    }
                }
                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    if (item is not null)
                    {
                        foreach (var inner in Keys(item))
                        {
                            yield return inner;
                        }
                    }
                }
                break;
        }
    }
}
