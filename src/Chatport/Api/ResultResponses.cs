using Chatport.Application;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Chatport.Api;

/// <summary>An application result as an HTTP answer: the value, or a problem detail that says what was wrong.</summary>
internal static class ResultResponses
{
    /// <summary>The problem detail for a result that did not succeed: a validation problem (by field) or another problem.</summary>
    public static (ValidationProblem? Validation, ProblemHttpResult? Problem) Problem<T>(Result<T> result) => result.Status switch
    {
        ResultStatus.NotFound => (null, ApiProblems.NotFound(result.Detail!)),
        ResultStatus.Invalid when result.Errors is { } errors => (TypedResults.ValidationProblem(errors, detail: result.Detail), null),
        ResultStatus.Invalid => (null, ApiProblems.BadRequest(result.Detail!)),
        ResultStatus.Refused => (null, TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: result.Title, detail: result.Detail)),
        // 409: the request is right, but conflicts with what the account has now; deleting one makes room (RFC 9110, 15.5.10).
        ResultStatus.LimitReached => (null, TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: result.Title, detail: result.Detail,
            extensions: new Dictionary<string, object?> { ["limit"] = result.Limit?.Setting, ["max"] = result.Limit?.Max })),
        _ => throw new InvalidOperationException($"A {result.Status} result is not a problem."),
    };

    public static Results<Ok<TResponse>, ValidationProblem, ProblemHttpResult> Ok<T, TResponse>(Result<T> result, Func<T, TResponse> response)
    {
        if (result.Succeeded)
        {
            return TypedResults.Ok(response(result.Value!));
        }
        var (validation, problem) = Problem(result);
        return validation is not null ? validation : problem!;
    }

    public static Results<Created<TResponse>, ValidationProblem, ProblemHttpResult> Created<T, TResponse>(
        Result<T> result, Func<T, string> location, Func<T, TResponse> response)
    {
        if (result.Succeeded)
        {
            return TypedResults.Created(location(result.Value!), response(result.Value!));
        }
        var (validation, problem) = Problem(result);
        return validation is not null ? validation : problem!;
    }

    public static Results<NoContent, ValidationProblem, ProblemHttpResult> NoContent<T>(Result<T> result)
    {
        if (result.Succeeded)
        {
            return TypedResults.NoContent();
        }
        var (validation, problem) = Problem(result);
        return validation is not null ? validation : problem!;
    }
}
