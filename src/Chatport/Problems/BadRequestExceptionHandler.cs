using System.Text.Json;
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
        JsonException { Path: { } path } json when json.Message.Contains("could not be converted", StringComparison.Ordinal) =>
            $"The value at {path} has the wrong type.",
        JsonException { Path: { } path } json => $"The body is not valid at {path}: {TrimPath(json.Message)}",
        JsonException json => $"The body is not valid JSON: {TrimPath(json.Message)}",
        _ => exception.Message,
    };

    private static string TrimPath(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
