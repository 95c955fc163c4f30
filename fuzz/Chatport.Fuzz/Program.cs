using System.Text.Json;
using Chatport.Contract;
using Chatport.Tracking;
using SharpFuzz;

namespace Chatport.Fuzz;

/// <summary>
/// Fuzz targets for what reads bodies from outside (run under afl-fuzz by <c>eng/fuzz.sh</c>): each turns an input into
/// the errors the API answers with, or throws — and a throw of anything else is a crash afl-fuzz keeps. Beside "does
/// not crash", each checks a property: what the scanner accepts the parser accepts with the same identity, and what
/// the parser accepts serializes into something it accepts again, unchanged.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        Action<byte[]>? target = args.FirstOrDefault() switch
        {
            "contract" => Contract,
            "scanner" => Scanner,
            "events" => Events,
            _ => null,
        };
        if (target is null)
        {
            Console.Error.WriteLine("Usage: Chatport.Fuzz contract|scanner|events [FILE] (no FILE: the afl-fuzz loop on standard input)");
            return 2;
        }
        if (args.Length > 1)
        {
            target(File.ReadAllBytes(args[1])); // one input, for reproducing a crash
            return 0;
        }
        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            target(buffer.ToArray());
        });
        return 0;
    }

    /// <summary>The contract reader of hooks and imports: a conversation, or a <see cref="ContractException"/>.</summary>
    private static void Contract(byte[] input)
    {
        Conversation parsed;
        try
        {
            parsed = ContractJson.ParseInbound(input);
        }
        catch (ContractException)
        {
            return;
        }
        var again = ContractJson.Parse(ContractJson.Serialize(parsed));
        if (!ContractJson.Serialize(again).AsSpan().SequenceEqual(ContractJson.Serialize(parsed)))
        {
            throw new InvalidOperationException("A parsed conversation does not survive serializing and parsing again.");
        }
    }

    /// <summary>The import's fast path: what it accepts, the full parse must accept, with the same identity.</summary>
    private static void Scanner(byte[] input)
    {
        if (!System.Text.Unicode.Utf8.IsValid(input))
        {
            return;
        }
        ConversationHead? head;
        try
        {
            var reader = new Utf8JsonReader(input, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return;
            }
            head = ContractScanner.Scan(ref reader);
            if (reader.Read())
            {
                return; // more after the object: the scanner reads one element of an array, the parser a whole body
            }
        }
        catch (JsonException)
        {
            return;
        }
        if (head is null)
        {
            return;
        }
        var full = ContractJson.Parse(input); // throws (a crash) if the scanner let through what the parser refuses
        if (full.Channel?.Id.Value != head.ChatId || full.AccountId != head.AccountId)
        {
            throw new InvalidOperationException("The scanner and the parser read a different identity.");
        }
    }

    /// <summary>The live-event parser: an event or an error, never a throw.</summary>
    private static void Events(byte[] input)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(input, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            return;
        }
        using (document)
        {
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                ChatEventParser.TryParse(document.RootElement, out _, out _);
            }
        }
    }
}
