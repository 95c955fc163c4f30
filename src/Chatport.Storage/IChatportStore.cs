using Chatport.Storage.Accounts;
using Chatport.Storage.Chats;
using Chatport.Storage.Conversations;
using Chatport.Storage.DataProtection;
using Chatport.Storage.Deliveries;
using Chatport.Storage.Destinations;
using Chatport.Storage.Keys;
using Chatport.Storage.Retention;
using Chatport.Storage.Sources;

namespace Chatport.Storage;

/// <summary>
/// The one store of a Chatport node. Callers depend on this interface only; each database is a dialect
/// behind it (SQLite and PostgreSQL, sharing a relational core), and one compliance suite runs against every dialect.
/// </summary>
public interface IChatportStore : IAccountStore, IApiKeyStore, IConversationStore, IChatStore, IDestinationStore, IDeliveryStore, ISourceStore, IRetentionStore,
    IDataProtectionKeyStore
{
    /// <summary>Starts a write transaction (see <see cref="IStoreSession"/>).</summary>
    Task<IStoreSession> BeginAsync(CancellationToken cancellationToken = default);

    /// <summary>Brings the schema up to date; safe to call at every start.</summary>
    Task MigrateAsync(CancellationToken cancellationToken = default);

    /// <summary>Round-trips the database; throws when it cannot.</summary>
    Task PingAsync(CancellationToken cancellationToken = default);
}
