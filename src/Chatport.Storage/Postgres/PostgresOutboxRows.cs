using Chatport.Storage.Deliveries;
using Npgsql;
using NpgsqlTypes;

namespace Chatport.Storage.Postgres;

/// <summary>
/// The deliveries a session enqueued, kept until it commits and then inserted by one statement over arrays
/// (<c>unnest</c>): a conversation routed to its destinations, or an import of hundreds, costs the outbox one
/// statement in the commit's round trip rather than one round trip per delivery. The rows are inserted in id order,
/// so two sessions never lock index entries in opposite orders.
/// </summary>
internal sealed class PostgresOutboxRows
{
    private readonly List<(DeliveryWork Work, long LeaseUntil)> _rows = [];

    public int Count => _rows.Count;

    public void Add(DeliveryWork delivery, DateTimeOffset leaseUntil) =>
        _rows.Add((delivery, leaseUntil.ToUnixTimeMilliseconds()));

    /// <summary>The insert of every row kept so far, as a batch command.</summary>
    public NpgsqlBatchCommand InsertCommand()
    {
        var count = _rows.Count;
        var ids = new string[count];
        var accounts = new long[count];
        var destinations = new string[count];
        var chats = new long[count];
        var versions = new int[count];
        var kinds = new string[count];
        var created = new long[count];
        var leases = new long[count];
        for (var i = 0; i < count; i++)
        {
            var (work, lease) = _rows[i];
            ids[i] = work.Id;
            accounts[i] = work.AccountId;
            destinations[i] = work.DestinationId;
            chats[i] = work.ChatId;
            versions[i] = work.Version;
            kinds[i] = KindsText(work.Kinds);
            created[i] = work.CreatedAt.ToUnixTimeMilliseconds();
            leases[i] = lease;
        }
        var insert = new NpgsqlBatchCommand("""
            INSERT INTO deliveries (id, account_id, destination_id, chat_id, version, kinds, status, attempts, created_at, next_attempt_at, lease_until)
            SELECT r.id, r.account, r.destination, r.chat, r.version, string_to_array(r.kinds, ','), 'pending', 0, r.created, r.created, r.lease
            FROM unnest(@ids, @accounts, @destinations, @chats, @versions, @kinds, @created, @leases)
                AS r (id, account, destination, chat, version, kinds, created, lease)
            ORDER BY r.id COLLATE "C"
            """);
        insert.Parameters.AddWithValue("ids", NpgsqlDbType.Array | NpgsqlDbType.Text, ids);
        insert.Parameters.AddWithValue("accounts", NpgsqlDbType.Array | NpgsqlDbType.Bigint, accounts);
        insert.Parameters.AddWithValue("destinations", NpgsqlDbType.Array | NpgsqlDbType.Text, destinations);
        insert.Parameters.AddWithValue("chats", NpgsqlDbType.Array | NpgsqlDbType.Bigint, chats);
        insert.Parameters.AddWithValue("versions", NpgsqlDbType.Array | NpgsqlDbType.Integer, versions);
        insert.Parameters.AddWithValue("kinds", NpgsqlDbType.Array | NpgsqlDbType.Text, kinds);
        insert.Parameters.AddWithValue("created", NpgsqlDbType.Array | NpgsqlDbType.Bigint, created);
        insert.Parameters.AddWithValue("leases", NpgsqlDbType.Array | NpgsqlDbType.Bigint, leases);
        return insert;
    }

    /// <summary>
    /// A list of kinds as one text, split again by <c>string_to_array</c> (arrays of arrays must be rectangular, so a
    /// <c>text[]</c> per row cannot travel in one array). Kinds are names without commas (<c>completed</c>, …).
    /// </summary>
    internal static string KindsText(IReadOnlyList<string> kinds)
    {
        foreach (var kind in kinds)
        {
            if (kind.Contains(','))
            {
                throw new ArgumentException($"A kind cannot contain a comma: \"{kind}\".", nameof(kinds));
            }
        }
        return string.Join(',', kinds);
    }
}
