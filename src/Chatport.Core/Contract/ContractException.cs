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
        var message = e.Path is null
            ? $"The body is not valid JSON: {FirstSentence(e.Message)}"
            : $"Invalid value at {e.Path}: {FirstSentence(e.Message)}";
        return new ContractException(message, e.Path);
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
