using Microsoft.AspNetCore.Http.HttpResults;

namespace Chatport.Api;

/// <summary>The API's problem details, worded once.</summary>
internal static class ApiProblems
{
    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static ProblemHttpResult TooLarge(long maxBytes) =>
        TypedResults.Problem(
            detail: $"The body is larger than the limit of {maxBytes} bytes; send fewer items per request.",
            statusCode: StatusCodes.Status413PayloadTooLarge,
            title: "Body too large");

    /// <summary>A request of more items than it may hold, refused before any item is read.</summary>
    /// <param name="setting">The setting that raises the limit (<c>Chatport:Events:MaxEventsPerRequest</c>).</param>
    public static ProblemHttpResult TooManyItems(int count, string items, int limit, string setting) =>
        TypedResults.Problem(
            detail: $"{count} {items} in one request; the limit is {limit} ({setting}). Nothing was stored; send them in several requests.",
            statusCode: StatusCodes.Status413PayloadTooLarge,
            title: "Too many items",
            extensions: new Dictionary<string, object?> { ["limit"] = limit, ["count"] = count });

    public static ProblemHttpResult BadRequest(string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: "The request is not valid", extensions: extensions);

    public static ProblemHttpResult Unprocessable(string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status422UnprocessableEntity, title: "Nothing was accepted", extensions: extensions);
}
