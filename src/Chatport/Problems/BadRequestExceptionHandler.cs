using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Chatport.Contract;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Chatport.Problems;

/// <summary>
/// Turns the framework's <see cref="BadHttpRequestException"/> (a body that does not bind, a route or query value
/// of the wrong type, a body too large) into a 4xx problem detail that says what was wrong in plain words (worded by
/// <see cref="JsonErrors"/>), with <c>errors</c> naming the field — never a .NET type or member name, never a 500.
/// </summary>
internal sealed partial class BadRequestExceptionHandler(IProblemDetailsService problems, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
    : IExceptionHandler
{
    /// <summary>The key of <c>errors</c> for the body as a whole.</summary>
    public const string BodyKey = "body";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }
        httpContext.Response.StatusCode = badRequest.StatusCode;
        var error = Explain(httpContext, badRequest);
        ProblemDetails problem = error is { } known
            ? new HttpValidationProblemDetails(new Dictionary<string, string[]> { [known.Field ?? BodyKey] = [known.Message] }) { Detail = known.Sentence }
            : new ProblemDetails { Detail = Describe(badRequest) };
        problem.Status = badRequest.StatusCode;
        problem.Title = badRequest.StatusCode == StatusCodes.Status400BadRequest ? "The request is not valid" : null;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, Exception = exception, ProblemDetails = problem });
    }

    /// <summary>What could not be bound, as a field and its error; null for what is not a binding failure.</summary>
    private JsonError? Explain(HttpContext httpContext, BadHttpRequestException exception)
    {
        var endpoint = EndpointOf(httpContext);
        if (exception.InnerException is JsonException body)
        {
            var type = endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
            var contract = type is not null && json.Value.SerializerOptions.TryGetTypeInfo(type, out var info) ? info : null;
            return JsonErrors.Explain(body, contract);
        }
        if (BindFailed().Match(exception.Message) is { Success: true } bind)
        {
            var name = bind.Groups["name"].Value;
            return new JsonError(name, ParameterType(endpoint, name) is { } parameter ? JsonErrors.MustBe(name, JsonErrors.KindOf(parameter)) : JsonErrors.NotValid(name));
        }
        if (NotProvided().Match(exception.Message) is { Success: true } missing)
        {
            return new JsonError(missing.Groups["name"].Value, JsonErrors.Required(missing.Groups["name"].Value));
        }
        if (exception.Message.StartsWith("Implicit body inferred for parameter", StringComparison.Ordinal))
        {
            return new JsonError(null, JsonErrors.EmptyBody);
        }
        return null;
    }

    /// <summary>The other 4xx the framework throws, in its own words where they hold no .NET names.</summary>
    private static string Describe(BadHttpRequestException exception) => exception.StatusCode switch
    {
        StatusCodes.Status408RequestTimeout => "The body arrived too slowly; the request was given up.",
        StatusCodes.Status413PayloadTooLarge => exception.Message,
        _ when exception.Message.Contains("parameter \"", StringComparison.Ordinal) => "The request could not be read.",
        _ => exception.Message,
    };

    /// <summary>The endpoint that threw: the exception handler middleware clears it from the context before handlers run.</summary>
    private static Endpoint? EndpointOf(HttpContext httpContext) =>
        httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? httpContext.GetEndpoint();

    /// <summary>The type of the endpoint's parameter <paramref name="name"/> (route, query or header).</summary>
    private static Type? ParameterType(Endpoint? endpoint, string name) =>
        endpoint?.Metadata.GetMetadata<MethodInfo>()?.GetParameters()
            .FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))?.ParameterType;

    // The framework's own sentences (RequestDelegateFactory), which name the parameter's .NET type before its name.
    [GeneratedRegex("""^Failed to bind parameter "(?:.* )?(?<name>[^ "]+)" from ".*"\.$""", RegexOptions.Singleline)]
    private static partial Regex BindFailed();

    [GeneratedRegex("""^Required parameter "(?:.* )?(?<name>[^ "]+)" was not provided from""")]
    private static partial Regex NotProvided();
}
