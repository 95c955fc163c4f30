using Chatport.Api.Accounts;
using Chatport.Application;
using Chatport.Api.Keys;
using Chatport.Conversations;
using Chatport.Deliveries;
using Chatport.Destinations;
using Chatport.Delivery;
using Chatport.Sources.Events;
using Chatport.Sources.Hooks;
using Chatport.Sources.Import;
using Chatport.Retention;
using Chatport.Tracking;
using Chatport.Auth;
using Chatport.Health;
using Chatport.Management;
using Chatport.RateLimits;
using Chatport.OpenApi;
using Chatport.Portal;
using Chatport.Problems;
using Chatport.Storage;
using Chatport.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Chatport.Hosting;

/// <summary>Builds the service: every feature adds its services, then maps its endpoints. Nothing else lives here.</summary>
internal static class ChatportApp
{
    /// <summary>The address <c>chatport serve</c> listens on when none is configured.</summary>
    public const string DefaultUrls = "http://localhost:5080";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // appsettings.json ships beside the binary; relative paths such as ./data are taken from the
        // folder the command runs in.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrls);
        }
        builder.AddChatportManagement();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.AddChatportOptions();
        builder.Services.AddHostedService<DataDirCheck>();
        builder.AddChatportProblems();
        builder.AddChatportStorage();
        builder.AddChatportDelivery();
        builder.Services.AddChatportApplication();
        builder.AddChatportAuth();
        builder.AddChatportRateLimits();
        builder.AddChatportHealth();
        builder.AddChatportOpenApi();
        builder.AddChatportTelemetry();
        builder.AddAccountsApi();
        builder.AddEventsApi();
        builder.AddImportApi();
        builder.AddHooks();
        builder.AddChatportTracking();
        builder.AddChatportRetention();
        builder.AddChatportPortal();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseChatportProblems();
        app.UseChatportManagement();
        app.UseChatportPortal();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseChatportRateLimits();
        app.MapChatportOpenApi();
        app.MapChatportHealth();
        app.MapChatportMetrics();
        app.MapHooks();
        app.MapChatportPortal();
        var v1 = app.MapGroup("/v1").RequireAuthorization() // every call needs a valid API key
            .RequireRateLimiting(RateLimitPolicies.AccountKey);
        v1.MapEvents().MapImport().MapDeliveries().MapAccountList();
        v1.MapGroup("/accounts/{accountId}").AddEndpointFilter<AccountScopeFilter>()
            .MapAccounts().MapKeys().MapConversations().MapDestinations().MapDeliveryLog().MapSources();
        return app;
    }
}
