namespace Chatport.Management;

/// <summary>Marks the endpoints a management port serves: <c>/metrics</c> and the health checks.</summary>
internal sealed class ManagementEndpoint
{
    private ManagementEndpoint(bool needsKey) => NeedsKey = needsKey;

    /// <summary><c>/metrics</c>: on the API's port, only with the metrics key or the admin key.</summary>
    public static ManagementEndpoint Metrics { get; } = new(needsKey: true);

    /// <summary><c>/health/*</c>: open on every port, for load balancers and orchestrators.</summary>
    public static ManagementEndpoint Health { get; } = new(needsKey: false);

    public bool NeedsKey { get; }
}
