using System.Text.Json;
using Chatport.Contract;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Chatport.Problems;

/// <summary>
/// Turns the framework's <see cref="BadHttpRequestException"/> (malformed JSON, a route value of the wrong
/// type, a body too large) into a 4xx problem detail that says what was wrong — never a 500.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }
        httpContext.Response.StatusCode = badRequest.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = badRequest.StatusCode,
                Title = badRequest.StatusCode == StatusCodes.Status400BadRequest ? "The request is not valid" : null,
                Detail = Describe(badRequest),
            },
        });
    }

    private static string Describe(BadHttpRequestException exception) => exception.InnerException switch
    {
        JsonException json when JsonErrors.PathOf(json) is "$" && JsonErrors.MessageOf(json).Contains("could not be converted", StringComparison.Ordinal) =>
            "The body must be a JSON object.",
        JsonException json when JsonErrors.PathOf(json) is { } path && JsonErrors.MessageOf(json).Contains("could not be converted", StringComparison.Ordinal) =>
            $"The value at {path} has the wrong type.",
        JsonException json when JsonErrors.PathOf(json) is { } path => $"The body is not valid at {path}: {JsonErrors.MessageOf(json)}",
        JsonException json => $"The body is not valid JSON: {JsonErrors.MessageOf(json)}",
        _ => exception.Message,
    };
}
