using System.Text.Json;

namespace Chatport.Contract;

/// <summary>A body that is not a seed-format conversation; <see cref="Path"/> says where (JSONPath).</summary>
public sealed class ContractException : Exception
{
    public ContractException(string message, string? path = null) : base(message) => Path = path;

    public ContractException() : this("Not a seed-format conversation.") { }

    public ContractException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Where in the document the problem is, for example <c>$.channel.id</c>.</summary>
    public string? Path { get; }

    internal static ContractException FromJson(JsonException e)
    {
        var path = JsonErrors.PathOf(e);
        var message = JsonErrors.MessageOf(e);
        return message.Contains("could not be converted", StringComparison.Ordinal)
            ? new ContractException($"Wrong type at {path}: {Describe(message)}", path)
            : new ContractException($"Invalid value at {path}: {message}", path);
    }

    /// <summary>A syntax error found by the reader: the body is not JSON at all.</summary>
    internal static ContractException NotJson(JsonException e) => new(JsonErrors.NotJson(e), "$");

    private static string Describe(string message)
    {
        // "The JSON value could not be converted to System.Int64." -> "expected an integer."
        var type = message[(message.LastIndexOf(' ') + 1)..].TrimEnd('.');
        return type switch
        {
            _ when type.Contains("Int64", StringComparison.Ordinal) || type.Contains("Int32", StringComparison.Ordinal) => "expected an integer.",
            _ when type.Contains("Boolean", StringComparison.Ordinal) => "expected true or false.",
            _ when type.Contains("String", StringComparison.Ordinal) => "expected a string.",
            _ when type.Contains("List", StringComparison.Ordinal) => "expected an array.",
            _ => "expected an object.",
        };
    }
}
