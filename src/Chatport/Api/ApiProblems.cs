using Microsoft.AspNetCore.Http.HttpResults;

namespace Chatport.Api;

/// <summary>The API's problem details, worded once.</summary>
internal static class ApiProblems
{
    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");
}
