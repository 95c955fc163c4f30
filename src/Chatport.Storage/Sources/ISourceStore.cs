namespace Chatport.Storage.Sources;

/// <summary>Inbound hooks, and the <c>webhook-id</c>s they have seen (to refuse replays).</summary>
public interface ISourceStore
{
    Task CreateSourceAsync(HookSource source, CancellationToken cancellationToken = default);

    Task<HookSource?> GetSourceAsync(long accountId, string id, CancellationToken cancellationToken = default);

    Task<HookSource?> FindSourceByTokenAsync(string token, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<HookSource>> ListSourcesAsync(long accountId, CancellationToken cancellationToken = default);

    Task<bool> DeleteSourceAsync(long accountId, string id, CancellationToken cancellationToken = default);
}
