using Microsoft.AspNetCore.Http.Features;

namespace Chatport.Problems;

/// <summary>Every error is an RFC 9457 problem detail, with the request's trace id.</summary>
internal static class ProblemsExtensions
{
    public static IHostApplicationBuilder AddChatportProblems(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var activity = context.HttpContext.Features.Get<IHttpActivityFeature>()?.Activity;
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            context.ProblemDetails.Extensions.TryAdd("traceId", activity?.Id ?? context.HttpContext.TraceIdentifier);
        });
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddExceptionHandler<StoreUnavailableExceptionHandler>();
        // Minimal APIs throw on bad input (unreadable JSON, unbindable route values) so the handler above can
        // say what was wrong, rather than answering a bare 400.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return builder;
    }

    public static WebApplication UseChatportProblems(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }
}
