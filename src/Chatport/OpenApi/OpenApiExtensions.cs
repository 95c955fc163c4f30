using Microsoft.OpenApi;

namespace Chatport.OpenApi;

internal static class OpenApiExtensions
{
    public static IHostApplicationBuilder AddChatportOpenApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer((document, context, _) =>
        {
            DestinationSchemas.Apply(document, context.ApplicationServices.GetRequiredService<Delivery.Destinations.DestinationKinds>());
            document.Info = new OpenApiInfo
            {
                Title = "Chatport",
                Version = "v1",
                Description = "Finished live-chat conversations, exported as the Smartsupp POST hook's JSON. "
                    + "Every /v1 call takes Authorization: Bearer KEY; errors are RFC 9457 problem details.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API key: the admin key (see admin.key in the data dir).",
            };
            return Task.CompletedTask;
        }));
        return builder;
    }

    /// <summary><c>/openapi/v1.json</c>.</summary>
    public static IEndpointRouteBuilder MapChatportOpenApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi("/openapi/{documentName}.json");
        return endpoints;
    }
}
