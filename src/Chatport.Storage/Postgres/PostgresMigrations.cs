using Chatport.Storage.Relational;
using Npgsql;

namespace Chatport.Storage.Postgres;

/// <summary>
/// The schema, as the SQLite dialect's numbered steps translated to PostgreSQL, which <see cref="SchemaMigrator"/>
/// applies once each, in order, inside one transaction holding <c>pg_advisory_xact_lock</c> on a fixed key, so
/// several nodes starting at once apply each step exactly once (the others wait, then find nothing left to do). Add
/// a step at the end; never edit one that has shipped.
/// </summary>
/// <remarks>
/// Differences from SQLite, all invisible to the neutral code: <c>bigint</c> for ids and epoch-ms times,
/// <c>bytea</c> for bodies, <c>boolean</c> for flags, <c>text[]</c> for kinds (filtered with <c>= ANY</c>), and
/// <c>COLLATE "C"</c> on text ids so they order byte-wise exactly as in SQLite (delivery-log paging compares ids).
/// </remarks>
internal static class PostgresMigrations
{
    /// <summary>"Chatport" in ASCII: the advisory lock the migrating node holds (transaction-scoped).</summary>
    internal const long LockKey = 0x43686174706F7274;

    private static readonly string[] Steps =
    [
        // 1: accounts
        """
        CREATE TABLE accounts (
            id bigint PRIMARY KEY,
            name text NOT NULL,
            plan text NOT NULL CHECK (plan IN ('free', 'pro')),
            inactivity_timeout_seconds integer NOT NULL,
            created_at bigint NOT NULL,
            updated_at bigint NOT NULL
        );
        """,

        // 2: live events (idempotency and audit), open chats, finished conversations and their versions
        """
        CREATE TABLE events (
            account_id bigint NOT NULL,
            id text COLLATE "C" NOT NULL,
            chat_id bigint NOT NULL,
            at bigint NOT NULL,
            received_at bigint NOT NULL,
            body bytea NOT NULL,
            PRIMARY KEY (account_id, id)
        );

        CREATE TABLE chats (
            account_id bigint NOT NULL,
            chat_id bigint NOT NULL,
            state bytea NOT NULL,
            last_event_at bigint NOT NULL,
            finished boolean NOT NULL DEFAULT false,
            PRIMARY KEY (account_id, chat_id)
        );
        CREATE INDEX chats_open_by_last_event ON chats (last_event_at) WHERE NOT finished;

        CREATE TABLE conversations (
            account_id bigint NOT NULL,
            chat_id bigint NOT NULL,
            version integer NOT NULL,
            kinds text[] NOT NULL,
            begin_at bigint,
            end_at bigint,
            source text NOT NULL,
            stored_at bigint NOT NULL,
            body bytea NOT NULL,
            PRIMARY KEY (account_id, chat_id)
        );
        CREATE INDEX conversations_by_end ON conversations (account_id, (coalesce(end_at, 0)) DESC, chat_id DESC);

        CREATE TABLE conversation_versions (
            account_id bigint NOT NULL,
            chat_id bigint NOT NULL,
            version integer NOT NULL,
            source text NOT NULL,
            stored_at bigint NOT NULL,
            body bytea NOT NULL,
            PRIMARY KEY (account_id, chat_id, version)
        );
        """,

        // 3: account-scoped API keys (only their SHA-256 is kept)
        """
        CREATE TABLE api_keys (
            id text COLLATE "C" PRIMARY KEY,
            account_id bigint NOT NULL REFERENCES accounts (id),
            name text NOT NULL,
            prefix text NOT NULL,
            hash bytea NOT NULL UNIQUE,
            created_at bigint NOT NULL,
            revoked_at bigint
        );
        CREATE INDEX api_keys_by_account ON api_keys (account_id);
        """,

        // 4: destinations and the delivery outbox with its attempts
        """
        ALTER TABLE conversation_versions ADD COLUMN export_body bytea;

        CREATE TABLE destinations (
            id text COLLATE "C" PRIMARY KEY,
            account_id bigint NOT NULL REFERENCES accounts (id),
            kind text NOT NULL,
            name text,
            enabled boolean NOT NULL,
            disabled_reason text,
            kinds text[] NOT NULL,
            config text NOT NULL,
            secret text,
            previous_secret text,
            previous_secret_expires_at bigint,
            created_at bigint NOT NULL,
            updated_at bigint NOT NULL,
            last_success_at bigint,
            failing_since bigint
        );
        CREATE INDEX destinations_by_account ON destinations (account_id);

        CREATE TABLE deliveries (
            id text COLLATE "C" PRIMARY KEY,
            account_id bigint NOT NULL,
            destination_id text COLLATE "C" NOT NULL,
            chat_id bigint NOT NULL,
            version integer NOT NULL,
            kinds text[] NOT NULL,
            status text NOT NULL,
            attempts integer NOT NULL DEFAULT 0,
            created_at bigint NOT NULL,
            next_attempt_at bigint,
            lease_until bigint NOT NULL DEFAULT 0,
            last_attempt_at bigint,
            last_status_code integer,
            last_error text
        );
        CREATE INDEX deliveries_due ON deliveries (destination_id, next_attempt_at) WHERE status = 'pending';
        CREATE INDEX deliveries_by_account ON deliveries (account_id, id DESC);
        CREATE INDEX deliveries_by_destination ON deliveries (destination_id, created_at);

        CREATE TABLE delivery_attempts (
            delivery_id text COLLATE "C" NOT NULL,
            number integer NOT NULL,
            at bigint NOT NULL,
            status_code integer,
            latency_ms double precision NOT NULL,
            error text,
            response bytea,
            PRIMARY KEY (delivery_id, number)
        );
        """,

        // 5: inbound hooks, and the webhook-ids they saw (replay protection)
        """
        CREATE TABLE sources (
            id text COLLATE "C" PRIMARY KEY,
            account_id bigint NOT NULL REFERENCES accounts (id),
            name text NOT NULL,
            auth text NOT NULL,
            token text NOT NULL UNIQUE,
            username text,
            secret text,
            created_at bigint NOT NULL
        );
        CREATE INDEX sources_by_account ON sources (account_id);

        CREATE TABLE source_message_ids (
            source_id text COLLATE "C" NOT NULL,
            message_id text COLLATE "C" NOT NULL,
            seen_at bigint NOT NULL,
            PRIMARY KEY (source_id, message_id)
        );
        CREATE INDEX source_message_ids_by_time ON source_message_ids (seen_at);
        """,

        // 6: destinations as plug-ins: timeout and retry schedule are every kind's, secrets are the kind's own JSON
        """
        ALTER TABLE destinations ADD COLUMN timeout_seconds integer NOT NULL DEFAULT 15;
        ALTER TABLE destinations ADD COLUMN retry_schedule text[] NOT NULL DEFAULT '{}';
        ALTER TABLE destinations ADD COLUMN secrets text;
        UPDATE destinations SET
            timeout_seconds = coalesce((config::jsonb ->> 'timeoutSeconds')::integer, 15),
            retry_schedule = coalesce(ARRAY(SELECT jsonb_array_elements_text(
                CASE WHEN jsonb_typeof(config::jsonb -> 'retrySchedule') = 'array' THEN config::jsonb -> 'retrySchedule' ELSE '[]'::jsonb END)), '{}'),
            secrets = CASE WHEN secret IS NULL THEN NULL ELSE json_build_object(
                'secret', secret, 'previousSecret', previous_secret, 'previousSecretExpiresAt', previous_secret_expires_at)::text END,
            config = (config::jsonb - 'timeoutSeconds' - 'retrySchedule')::text;
        ALTER TABLE destinations DROP COLUMN secret;
        ALTER TABLE destinations DROP COLUMN previous_secret;
        ALTER TABLE destinations DROP COLUMN previous_secret_expires_at;
        """,

        // 7: what every destination may redact before sending; the zone an account's people read times in
        """
        ALTER TABLE destinations ADD COLUMN redact text[] NOT NULL DEFAULT '{}';
        ALTER TABLE destinations ADD COLUMN redact_visitor text[] NOT NULL DEFAULT '{}';
        ALTER TABLE accounts ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC';
        """,

        // 8: why a failing destination's last attempt failed, shown on the destination
        """
        ALTER TABLE destinations ADD COLUMN last_error text;
        """,

        // 9: events found by when they arrived, so that old ones can be forgotten (retention)
        """
        CREATE INDEX events_by_received_at ON events (received_at);
        """,

        // 10: ASP.NET Core Data Protection keys (a portal's cookies), the XML its key manager writes, as written
        """
        CREATE TABLE data_protection_keys (
            id bigserial PRIMARY KEY,
            friendly_name text,
            xml text NOT NULL,
            created_at bigint NOT NULL
        );
        """,

        // 11: the live view: deliveries found by when they were last attempted (only its window is counted), and a
        // destination's queue by age (its size and its oldest without reading what was delivered)
        """
        CREATE INDEX deliveries_by_last_attempt ON deliveries (destination_id, last_attempt_at, status) WHERE last_attempt_at IS NOT NULL;
        CREATE INDEX deliveries_pending_by_created ON deliveries (destination_id, created_at) WHERE status = 'pending';
        """,
    ];

    private const string MigrationsTableSql = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version integer PRIMARY KEY,
            applied_at bigint NOT NULL
        );
        """;

    public static int Latest => Steps.Length;

    /// <param name="now">Epoch ms, recorded as each step's <c>applied_at</c>.</param>
    /// <param name="cancellationToken">Not passed on: no caller's token reaches Npgsql (see <see cref="PostgresStore"/>).</param>
    /// <param name="upTo">Stop after this step (tests build a database as an older Chatport left it); null for all.</param>
    public static async Task ApplyAsync(NpgsqlConnection connection, long now, CancellationToken cancellationToken, int? upTo = null)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            lockCommand.Parameters.AddBigint("key", LockKey);
            await lockCommand.ExecuteNonQueryAsync(); // held until commit or rollback
        }
        await SchemaMigrator.ApplyAsync(transaction, MigrationsTableSql, Steps, now, upTo, CancellationToken.None);
    }
}
