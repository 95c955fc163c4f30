namespace Chatport.Application;

/// <summary>How a request's field problems are worded, the same in every answer.</summary>
public static class FieldWords
{
    /// <summary>"unknown field `to`; this request takes: name, plan and inactivityTimeoutSeconds."</summary>
    public static string UnknownField(string field, IEnumerable<string> accepted) =>
        $"unknown field `{field}`; this request takes: {Delivery.Destinations.Words.All(accepted)}.";
}
