using Chatport.Delivery.Destinations;
using Chatport.Delivery.Destinations.Email;
using Chatport.Delivery.Destinations.File;
using Chatport.Delivery.Destinations.Http;
using Chatport.Delivery.Destinations.Sql;
using Chatport.Delivery.Destinations.Webhook;
using Chatport.Delivery.Dispatching;
using Chatport.Delivery.Retries;
using Chatport.Delivery.Safety;
using Chatport.Delivery.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Chatport.Delivery;

public static class DeliveryServiceCollectionExtensions
{
    /// <summary>
    /// The destination kinds and what they send with (the safe HTTP client), the destination cache and the outbox:
    /// enough to add, change and test destinations, and to store conversations with their deliveries, without
    /// delivering (a command-line tool; a running node's dispatcher then finds the deliveries due).
    /// </summary>
    public static IHostApplicationBuilder AddChatportDestinations(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DeliveryOptions>().BindConfiguration(DeliveryOptions.Section)
            .Validate(o => o.LeaseDuration > TimeSpan.Zero && o.PollInterval > TimeSpan.Zero, "Chatport:Delivery:LeaseDuration and PollInterval must be positive.")
            .Validate(o => o.MaxConcurrencyPerDestination > 0 && o.MaxQueuedPerDestination > 0 && o.RecordBatchSize > 0,
                "Chatport:Delivery concurrency, queue and batch sizes must be positive.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DestinationCache>();
        builder.Services.AddSingleton(services =>
        {
            var options = services.GetRequiredService<IOptions<DeliveryOptions>>().Value;
            var handler = SafeHttpHandlerFactory.Create(new SafeHttpOptions { AllowPrivateTargets = options.AllowPrivateTargets });
            return new DeliveryHttpClient(new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan });
        });
        builder.Services.AddSingleton(services =>
            new WebhookSender(services.GetRequiredService<DeliveryHttpClient>().Client, services.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<DestinationKinds>();
        builder.Services.AddSingleton<AccountZones>();
        builder.Services.AddSingleton<Outbox.OutboxFactory>();

        // The destination kinds: one line each.
        builder.Services.AddDestinationKind<WebhookKind>();
        builder.Services.AddDestinationKind<FileKind>();
        builder.Services.AddDestinationKind<SqlKind>();
        builder.Services.AddDestinationKind<HttpKind>();
        builder.Services.AddDestinationKind<EmailKind>();
        return builder;
    }

    /// <summary>The destinations (<see cref="AddChatportDestinations"/>) and the dispatcher that delivers to them, with its recorder.</summary>
    public static IHostApplicationBuilder AddChatportDelivery(this IHostApplicationBuilder builder)
    {
        builder.AddChatportDestinations();
        builder.Services.TryAddSingleton<IJitter>(RandomJitter.Instance);
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<DeliveryMetrics>();
        builder.Services.AddSingleton<AttemptRecorder>();
        builder.Services.AddHostedService(services => services.GetRequiredService<AttemptRecorder>());
        builder.Services.AddSingleton<DeliveryProcessor>();
        builder.Services.AddSingleton<Dispatcher>();
        builder.Services.AddSingleton<IDeliveryQueue>(services => services.GetRequiredService<Dispatcher>());
        builder.Services.AddHostedService(services => services.GetRequiredService<Dispatcher>());
        return builder;
    }
}

/// <summary>The one pooled client deliveries go out through (its handler is the SSRF guard).</summary>
public sealed record DeliveryHttpClient(HttpClient Client);
