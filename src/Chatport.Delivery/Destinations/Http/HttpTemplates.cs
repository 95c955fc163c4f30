using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Fluid;
using Fluid.Values;

namespace Chatport.Delivery.Destinations.Http;

/// <summary>
/// The Liquid templates of <c>http</c> destinations (Fluid): parsed once per text and kept, rendered with Fluid's
/// safe defaults — the values are JSON turned into Liquid dictionaries, lists, strings, numbers and booleans, so no
/// .NET member is reachable — with a bounded number of steps and a bounded output. The built-in <c>json</c> filter
/// writes any value as a JSON literal (strings escaped, <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c> and quotes as
/// <c>\u</c> escapes, objects and lists serialized).
/// </summary>
internal sealed class HttpTemplates
{
    /// <summary>The longest template a destination may hold, in characters.</summary>
    public const int MaxTemplateLength = 64 * 1024;

    /// <summary>The longest body a template may render, in characters.</summary>
    public const int MaxOutputLength = 1024 * 1024;

    /// <summary>How many steps (tags, outputs, loop turns) one render may take.</summary>
    public const int MaxSteps = 200_000;

    private const int MaxCached = 1000;

    private static readonly FluidParser Parser = new();
    private static readonly TemplateOptions Options = new();

    private readonly ConcurrentDictionary<string, IFluidTemplate> _parsed = new(StringComparer.Ordinal);

    /// <summary>Why a template cannot be used, in plain words with the line and column (<c>Unknown tag 'bogus' at (1:11)</c>); null when it parses.</summary>
    public static string? Check(string template)
    {
        if (template.Length > MaxTemplateLength)
        {
            return $"template is {template.Length} characters long; at most {MaxTemplateLength} are allowed.";
        }
        return Parser.TryParse(template, out _, out var error) ? null : "template does not parse: " + FirstLine(error);
    }

    /// <summary>Renders <paramref name="template"/> (already checked) with the attempt's names; throws <see cref="TemplateRenderException"/> when it cannot.</summary>
    public async Task<string> RenderAsync(string template, ChatView chat)
    {
        if (!_parsed.TryGetValue(template, out var parsed))
        {
            if (!Parser.TryParse(template, out parsed, out var error))
            {
                throw new TemplateRenderException("The template does not parse: " + FirstLine(error));
            }
            if (_parsed.Count >= MaxCached)
            {
                _parsed.Clear();
            }
            _parsed[template] = parsed;
        }
        var context = new TemplateContext(Options) { MaxSteps = MaxSteps, TimeZone = chat.Zone, CultureInfo = CultureInfo.InvariantCulture };
        context.SetValue("conversation", Value(chat.Seed));
        context.SetValue("kinds", new ArrayValue([.. chat.Delivery.Kinds.Select(k => (FluidValue)new StringValue(k))]));
        context.SetValue("version", NumberValue.Create(chat.Delivery.Version));
        context.SetValue("transcript", Dictionary(new() { ["text"] = new StringValue(chat.Text), ["html"] = new StringValue(chat.Html) }));
        context.SetValue("account", Dictionary(new()
        {
            ["id"] = NumberValue.Create(chat.Delivery.AccountId),
            ["name"] = chat.Account is { } account ? new StringValue(account.Name) : NilValue.Instance,
            ["plan"] = chat.Account is { } a ? new StringValue(a.Plan.ToString().ToLowerInvariant()) : NilValue.Instance,
            ["timeZone"] = new StringValue(chat.Zone.Id),
        }));
        context.SetValue("delivery", Dictionary(new()
        {
            ["id"] = new StringValue(chat.Delivery.Id),
            ["attempt"] = NumberValue.Create(chat.Attempt),
            ["key"] = new StringValue(chat.Key),
        }));
        var output = new BoundedWriter();
        try
        {
            await parsed.RenderAsync(output, context, NullEncoder.Default);
        }
        catch (OutputTooLongException)
        {
            throw new TemplateRenderException($"The template rendered more than {MaxOutputLength} characters; the body was not sent.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new TemplateRenderException($"The template could not be rendered: {e.Message}");
        }
        return output.ToString();
    }

    /// <summary>A JSON value as a Liquid value: objects as dictionaries, arrays as lists.</summary>
    private static FluidValue Value(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.Object => Dictionary(json.EnumerateObject().ToDictionary(p => p.Name, p => Value(p.Value), StringComparer.Ordinal)),
        JsonValueKind.Array => new ArrayValue([.. json.EnumerateArray().Select(Value)]),
        JsonValueKind.String => new StringValue(json.GetString()!),
        JsonValueKind.Number => json.TryGetDecimal(out var number) ? NumberValue.Create(number) : NumberValue.Create((decimal)json.GetDouble()),
        JsonValueKind.True => BooleanValue.True,
        JsonValueKind.False => BooleanValue.False,
        _ => NilValue.Instance,
    };

    private static DictionaryValue Dictionary(Dictionary<string, FluidValue> values) => new(new FluidValueDictionaryFluidIndexable(values));

    private static string FirstLine(string? error) =>
        (error ?? "unknown error").Split('\n', 2)[0].Trim();

    /// <summary>A string writer that stops a render once the output passes <see cref="MaxOutputLength"/>.</summary>
    private sealed class BoundedWriter() : StringWriter(CultureInfo.InvariantCulture)
    {
        public override void Write(char value)
        {
            Check(1);
            base.Write(value);
        }

        public override void Write(char[] buffer, int index, int count)
        {
            Check(count);
            base.Write(buffer, index, count);
        }

        public override void Write(ReadOnlySpan<char> buffer)
        {
            Check(buffer.Length);
            base.Write(buffer);
        }

        public override void Write(string? value)
        {
            Check(value?.Length ?? 0);
            base.Write(value);
        }

        public override Task WriteAsync(string? value)
        {
            Write(value);
            return Task.CompletedTask;
        }

        public override Task WriteAsync(char value)
        {
            Write(value);
            return Task.CompletedTask;
        }

        public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return Task.CompletedTask;
        }

        private void Check(int more)
        {
            if (GetStringBuilder().Length + more > MaxOutputLength)
            {
                throw new OutputTooLongException();
            }
        }
    }

    private sealed class OutputTooLongException : Exception;
}

/// <summary>A template that parsed but could not make a body: a failed attempt whose reason goes in the delivery log.</summary>
internal sealed class TemplateRenderException(string message) : Exception(message);
