using Microsoft.Extensions.DependencyInjection;

namespace Chatport.Delivery.Destinations;

public static class DestinationKindServiceCollectionExtensions
{
    /// <summary>Registers a destination kind: the one line a new kind adds.</summary>
    public static IServiceCollection AddDestinationKind<TKind>(this IServiceCollection services) where TKind : class, IDestinationKind
    {
        services.AddSingleton<TKind>();
        services.AddSingleton<IDestinationKind>(provider => provider.GetRequiredService<TKind>());
        return services;
    }
}
