using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Chatport.OpenApi;

internal static class OpenApiExtensions
{
    public static IHostApplicationBuilder AddChatportOpenApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<OpenApiServerOptions>().BindConfiguration(OpenApiServerOptions.Section)
            .Validate(o => o.IsValid, "Chatport:OpenApi:ServerUrl must be an absolute http:// or https:// address.")
            .ValidateOnStart();
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer((document, context, _) =>
        {
            // The framework fills servers from the request's scheme and Host header, which the caller chooses.
            var serverUrl = context.ApplicationServices.GetRequiredService<IOptions<OpenApiServerOptions>>().Value.ServerUrl;
            document.Servers = serverUrl is null ? null : [new OpenApiServer { Url = serverUrl.ToString().TrimEnd('/') }];
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
