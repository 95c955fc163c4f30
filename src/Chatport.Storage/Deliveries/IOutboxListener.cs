namespace Chatport.Storage.Deliveries;

/// <summary>
/// A store shared by several nodes tells the others when the outbox changed (PostgreSQL: <c>LISTEN/NOTIFY</c>), so
/// idle nodes deliver in real time without busy polling. A single-node store (SQLite) does not need it.
/// </summary>
public interface IOutboxListener
{
    /// <summary>
    /// Calls <paramref name="onNotification"/> once when listening starts and then on each change, until cancelled;
    /// throws if the connection fails (the caller listens again; its regular poll covers the gap).
    /// </summary>
    Task ListenAsync(Func<Task> onNotification, CancellationToken cancellationToken);
}
