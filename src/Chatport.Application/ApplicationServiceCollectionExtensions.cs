using Chatport.Application.Accounts;
using Chatport.Application.Conversations;
using Chatport.Application.Deliveries;
using Chatport.Application.Destinations;
using Chatport.Application.Keys;
using Chatport.Application.Sources;
using Chatport.Delivery.Dispatching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Chatport.Application;

public static class ApplicationServiceCollectionExtensions
{
    /// <summary>
    /// The application services. They need a store and the destination kinds (<c>AddChatportStorage</c>,
    /// <c>AddChatportDestinations</c>) and nothing of the web host: a command-line tool builds them on a plain host.
    /// Without a dispatcher in the process, waking it is a no-op (the dispatcher of a running node polls).
    /// </summary>
    public static IServiceCollection AddChatportApplication(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.Section)
            .Validate(o => o.DestinationsPerAccount > 0 && o.SourcesPerAccount > 0 && o.KeysPerAccount > 0,
                "Chatport:Limits:DestinationsPerAccount, SourcesPerAccount and KeysPerAccount must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton<IDeliveryQueue, NoDispatcher>();
        services.AddSingleton<AccountService>();
        services.AddSingleton<KeyService>();
        services.AddSingleton<SourceService>();
        services.AddSingleton<DestinationService>();
        services.AddSingleton<DeliveryService>();
        services.AddSingleton<ConversationService>();
        return services;
    }

    /// <summary>No dispatcher here: what is written stays in the outbox, due, for a running node to poll.</summary>
    private sealed class NoDispatcher : IDeliveryQueue
    {
        public void Enqueue(IReadOnlyList<Storage.Deliveries.DeliveryWork> deliveries)
        {
        }

        public bool HasRoom(string destinationId) => false;

        public void Wake()
        {
        }
    }
}
