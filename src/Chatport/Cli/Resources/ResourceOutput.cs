using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Chatport.Cli.Remote;
using Spectre.Console;

namespace Chatport.Cli.Resources;

/// <summary>
/// How the resource commands print what the server answered: on a terminal a Spectre table for a list and a key/value
/// grid for one item; piped, plain tab-separated lines (a list's header line first); with <c>--json</c> the server's
/// JSON as it is, indented. A refusal prints the problem's words on stderr and ends with <see cref="ExitCodes.Refused"/>.
/// </summary>
internal static class ResourceOutput
{
    /// <summary>Fields the server shows once (a webhook's <c>secret</c>, a key's <c>key</c>): a note says to copy them.</summary>
    private static readonly string[] ShownOnce = ["secret", "key"];

    /// <summary>Prints a refusal (404 included): its words on stderr and, with <c>--json</c>, its body on stdout.</summary>
    public static async Task<int> RefusedAsync(RemoteSettings settings, RemoteAnswer answer)
    {
        if (settings.Json && answer.Body.Length > 0)
        {
            await WriteJsonAsync(answer.Body);
        }
        await Console.Error.WriteLineAsync(answer.Describe());
        return ExitCodes.Refused;
    }

    /// <summary>A list: <paramref name="items"/> picks the array from the answer (the root when null).</summary>
    public static async Task<int> ListAsync(RemoteSettings settings, RemoteAnswer answer, IReadOnlyList<string> columns, string? itemsProperty = null)
    {
        if (!answer.IsSuccess)
        {
            return await RefusedAsync(settings, answer);
        }
        if (settings.Json)
        {
            await WriteJsonAsync(answer.Body);
            return ExitCodes.Ok;
        }
        using var json = Parse(answer);
        var root = json.RootElement;
        var items = itemsProperty is null ? root : root.GetProperty(itemsProperty);
        await WriteListAsync(settings, [.. items.EnumerateArray()], columns);
        return ExitCodes.Ok;
    }

    public static async Task WriteListAsync(RemoteSettings settings, IReadOnlyList<JsonElement> items, IReadOnlyList<string> columns)
    {
        if (RemoteCommand.ToTerminal(settings))
        {
            if (items.Count == 0)
            {
                AnsiConsole.MarkupLine("[grey]None.[/]");
                return;
            }
            var table = new Table();
            foreach (var column in columns)
            {
                table.AddColumn(new TableColumn(Markup.Escape(column)));
            }
            foreach (var item in items)
            {
                table.AddRow([.. columns.Select(c => new Text(Cell(item, c)))]);
            }
            AnsiConsole.Write(table);
            return;
        }
        var text = new StringBuilder();
        text.AppendJoin('\t', columns).Append('\n');
        foreach (var item in items)
        {
            text.AppendJoin('\t', columns.Select(c => Cell(item, c))).Append('\n');
        }
        await Console.Out.WriteAsync(text.ToString());
    }

    /// <summary>One item: every field of the answer's object, then a note for a secret shown this once.</summary>
    public static async Task<int> ItemAsync(RemoteSettings settings, RemoteAnswer answer, string? heading = null)
    {
        if (!answer.IsSuccess)
        {
            return await RefusedAsync(settings, answer);
        }
        using var json = Parse(answer);
        await WriteItemAsync(settings, answer.Body, json.RootElement, heading);
        return ExitCodes.Ok;
    }

    public static async Task WriteItemAsync(RemoteSettings settings, byte[] body, JsonElement item, string? heading)
    {
        if (settings.Json)
        {
            await WriteJsonAsync(body);
        }
        else if (RemoteCommand.ToTerminal(settings))
        {
            if (heading is not null)
            {
                AnsiConsole.Write(new Text(heading + Environment.NewLine));
            }
            var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
            foreach (var field in Fields(item))
            {
                grid.AddRow(new Text(field.Name, new Style(decoration: Decoration.Bold)), new Text(Value(field.Value)));
            }
            AnsiConsole.Write(grid);
        }
        else
        {
            var text = new StringBuilder(); // no heading: every line is a field and its value, for scripts
            foreach (var field in Fields(item))
            {
                text.Append(field.Name).Append('\t').Append(Value(field.Value)).Append('\n');
            }
            await Console.Out.WriteAsync(text.ToString());
        }
        await NoteShownOnceAsync(settings, item);
    }

    /// <summary>What succeeded with no body to show (a delete, a revoke): a sentence, or nothing with <c>--json</c>.</summary>
    public static async Task<int> DoneAsync(RemoteSettings settings, RemoteAnswer answer, string done)
    {
        if (!answer.IsSuccess)
        {
            return await RefusedAsync(settings, answer);
        }
        if (settings.Json)
        {
            if (answer.Body.Length > 0)
            {
                await WriteJsonAsync(answer.Body);
            }
        }
        else
        {
            await Console.Out.WriteLineAsync(done);
        }
        return ExitCodes.Ok;
    }

    /// <summary>A sentence on stdout (not with <c>--json</c>, whose stdout is the server's JSON).</summary>
    public static async Task SayAsync(RemoteSettings settings, string sentence)
    {
        if (!settings.Json)
        {
            await Console.Out.WriteLineAsync(sentence);
        }
    }

    private static async Task NoteShownOnceAsync(RemoteSettings settings, JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        foreach (var name in ShownOnce)
        {
            if (item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 })
            {
                var note = $"Copy the {name} now: Chatport shows it only this once.";
                if (RemoteCommand.ToTerminal(settings))
                {
                    AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(note)}[/]");
                }
                else
                {
                    await Console.Error.WriteLineAsync(note);
                }
            }
        }
    }

    /// <summary>The server's JSON, indented, as it sent it (a body that is not JSON as it is).</summary>
    public static async Task WriteJsonAsync(byte[] body)
    {
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            await Console.Out.WriteLineAsync(Encoding.UTF8.GetString(body));
            return;
        }
        using (json)
        {
            await Console.Out.WriteLineAsync(Indented(json.RootElement));
        }
    }

    public static string Indented(JsonElement element)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            element.WriteTo(writer);
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static JsonDocument Parse(RemoteAnswer answer) =>
        answer.Json() ?? throw new RemoteException(ExitCodes.Refused,
            $"Chatport answered {(int)answer.Status} {answer.Status} with no JSON; is the URL a Chatport server?");

    private static IEnumerable<JsonProperty> Fields(JsonElement item) =>
        item.ValueKind == JsonValueKind.Object ? item.EnumerateObject() : [];

    private static string Cell(JsonElement item, string column) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(column, out var value) ? Value(value) : "";

    /// <summary>A value as one line of text: lists joined by commas, nothing for null, no control character (no escape can reach the terminal).</summary>
    public static string Value(JsonElement value)
    {
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() ?? "",
            JsonValueKind.Null or JsonValueKind.Undefined => "",
            JsonValueKind.Array when value.EnumerateArray().All(v => v.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array)) =>
                string.Join(",", value.EnumerateArray().Select(Value)),
            JsonValueKind.Object or JsonValueKind.Array => Compact(value),
            _ => value.GetRawText(),
        };
        return text.Any(char.IsControl) ? new string([.. text.Select(c => char.IsControl(c) ? ' ' : c)]) : text;
    }

    private static string Compact(JsonElement element)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            element.WriteTo(writer);
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
