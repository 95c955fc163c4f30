using System.Globalization;
using System.Text.Json;
using Chatport.Contract;

namespace Chatport.Cli.Transfer;

/// <summary>One conversation of an input file: its place in the file and its exact bytes.</summary>
/// <param name="Index">Its position in the file, from 0.</param>
/// <param name="Line">The line it starts on, from 1.</param>
internal sealed record InputItem(int Index, int Line, byte[] Raw);

/// <summary>Why one place of a file is not a conversation that can be imported.</summary>
internal sealed record InputError(string Where, string Reason);

/// <summary>An input file, read and checked in full: its conversations, or why none of it may be sent.</summary>
/// <param name="Name">How messages name it (the path as given, or <c>stdin</c>).</param>
/// <param name="Key">Its key in the state file.</param>
internal sealed record InputFile(string Name, string Key, long Bytes, IReadOnlyList<InputItem> Items, IReadOnlyList<InputError> Errors, int ErrorCount)
{
    public bool IsValid => ErrorCount == 0;
}

/// <summary>
/// Reads an import's input: a JSON array of conversations, one conversation, or NDJSON (one a line; also any
/// sequence of objects separated by whitespace). Every item is checked as the server checks it
/// (<see cref="ContractJson.ParseInbound"/>, a positive <c>accountId</c>) before any of the file is sent: a file with
/// anything wrong is refused whole.
/// </summary>
internal static class ImportInput
{
    /// <summary>The most errors kept for one file (the rest are counted).</summary>
    public const int MaxErrors = 20;

    public static InputFile Read(string name, string key, byte[] bytes, bool ndjson)
    {
        var items = new List<InputItem>();
        var errors = new List<InputError>();
        var errorCount = 0;
        void Refuse(string where, string reason)
        {
            if (errorCount++ < MaxErrors)
            {
                errors.Add(new InputError(where, reason));
            }
        }
        var lines = new LineCounter(bytes);
        var array = false;
        var index = 0;
        long current = -1;
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowMultipleValues = true, MaxDepth = ContractJson.MaxDepth + 1 });
        try
        {
            if (!reader.Read())
            {
                Refuse("the file", "It holds no conversation (it is empty).");
            }
            else if (reader.TokenType == JsonTokenType.StartArray && !ndjson)
            {
                array = true;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    Take(ref reader);
                }
                if (reader.Read())
                {
                    Refuse($"line {lines.LineOf(reader.TokenStartIndex)}", "Something follows the array; a file holds one array, one conversation, or one conversation a line (NDJSON).");
                }
                else if (index == 0)
                {
                    Refuse("the file", "The array is empty.");
                }
            }
            else
            {
                do
                {
                    Take(ref reader);
                }
                while (reader.Read());
            }
        }
        catch (JsonException e)
        {
            // The place is the item being read (its first line); the reason says the line and byte of the error itself.
            var line = current >= 0 ? lines.LineOf(current) : e.LineNumber is { } l ? (int)l + 1 : lines.LineOf(reader.TokenStartIndex);
            Refuse(array ? $"item {index + 1} ($[{index}], line {line})" : $"line {line} (item {index + 1})", JsonErrors.NotJson(e).Replace("The body is", "It is", StringComparison.Ordinal));
        }
        return new InputFile(name, key, bytes.Length, errorCount == 0 ? items : [], errors, errorCount);

        void Take(ref Utf8JsonReader reader)
        {
            var start = current = reader.TokenStartIndex;
            reader.Skip();
            var raw = bytes.AsSpan((int)start, (int)(reader.BytesConsumed - start)).ToArray();
            var line = lines.LineOf(start);
            var where = array ? $"item {index + 1} ($[{index}], line {line})" : $"line {line} (item {index + 1})";
            try
            {
                var conversation = ContractJson.ParseInbound(raw, wellFormed: true);
                if (!conversation.AccountId.HasValue || conversation.AccountId.Value <= 0)
                {
                    Refuse(where + " at " + Path(array, index, "$.accountId"), "Missing $.accountId (a positive integer): an imported conversation must say whose it is.");
                }
                else if (errorCount == 0)
                {
                    items.Add(new InputItem(index, line, raw));
                }
            }
            catch (ContractException e)
            {
                Refuse(e.Path is { } path ? where + " at " + Path(array, index, path) : where, e.Message);
            }
            index++;
            current = -1;
        }
    }

    /// <summary>The JSONPath of <paramref name="path"/> (within one conversation) in the file.</summary>
    private static string Path(bool array, int index, string path) =>
        array ? string.Create(CultureInfo.InvariantCulture, $"$[{index}]{path.AsSpan(1)}") : path;

    /// <summary>Line numbers of byte offsets, counted forward (offsets asked in order).</summary>
    private sealed class LineCounter(byte[] bytes)
    {
        private int _offset;
        private int _line = 1;

        public int LineOf(long offset)
        {
            if (offset < _offset)
            {
                _offset = 0;
                _line = 1;
            }
            var end = (int)Math.Min(offset, bytes.Length);
            _line += bytes.AsSpan(_offset, end - _offset).Count((byte)'\n');
            _offset = end;
            return _line;
        }
    }
}
