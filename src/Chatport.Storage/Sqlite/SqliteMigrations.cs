using Chatport.Storage.Relational;
using Microsoft.Data.Sqlite;

namespace Chatport.Storage.Sqlite;

/// <summary>
/// The schema, as numbered steps that <see cref="SchemaMigrator"/> applies once each, in order, inside one write
/// transaction (<c>BEGIN IMMEDIATE</c>, so two processes starting on one file cannot both apply a step).
/// Add a step at the end; never edit one that has shipped.
/// </summary>
internal static class SqliteMigrations
{
    private static readonly string[] Steps =
    [
        // 1: accounts
        """
        CREATE TABLE accounts (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            plan TEXT NOT NULL CHECK (plan IN ('free', 'pro')),
            inactivity_timeout_seconds INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        """,

        // 2: live events (idempotency and audit), open chats, finished conversations and their versions
        """
        CREATE TABLE events (
            account_id INTEGER NOT NULL,
            id TEXT NOT NULL,
            chat_id INTEGER NOT NULL,
            at INTEGER NOT NULL,
            received_at INTEGER NOT NULL,
            body BLOB NOT NULL,
            PRIMARY KEY (account_id, id)
        ) WITHOUT ROWID;

        CREATE TABLE chats (
            account_id INTEGER NOT NULL,
            chat_id INTEGER NOT NULL,
            state BLOB NOT NULL,
            last_event_at INTEGER NOT NULL,
            finished INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (account_id, chat_id)
        );
        CREATE INDEX chats_open_by_last_event ON chats (last_event_at) WHERE finished = 0;

        CREATE TABLE conversations (
            account_id INTEGER NOT NULL,
            chat_id INTEGER NOT NULL,
            version INTEGER NOT NULL,
            kinds TEXT NOT NULL,
            begin_at INTEGER,
            end_at INTEGER,
            source TEXT NOT NULL,
            stored_at INTEGER NOT NULL,
            body BLOB NOT NULL,
            PRIMARY KEY (account_id, chat_id)
        );
        CREATE INDEX conversations_by_end ON conversations (account_id, end_at DESC, chat_id DESC);

        CREATE TABLE conversation_versions (
            account_id INTEGER NOT NULL,
            chat_id INTEGER NOT NULL,
            version INTEGER NOT NULL,
            source TEXT NOT NULL,
            stored_at INTEGER NOT NULL,
            body BLOB NOT NULL,
            PRIMARY KEY (account_id, chat_id, version)
        );
        """,

        // 3: account-scoped API keys (only their SHA-256 is kept)
        """
        CREATE TABLE api_keys (
            id TEXT PRIMARY KEY,
            account_id INTEGER NOT NULL REFERENCES accounts (id),
            name TEXT NOT NULL,
            prefix TEXT NOT NULL,
            hash BLOB NOT NULL UNIQUE,
            created_at INTEGER NOT NULL,
            revoked_at INTEGER
        );
        CREATE INDEX api_keys_by_account ON api_keys (account_id);
        """,

        // 4: destinations and the delivery outbox with its attempts
        """
        ALTER TABLE conversation_versions ADD COLUMN export_body BLOB;

        CREATE TABLE destinations (
            id TEXT PRIMARY KEY,
            account_id INTEGER NOT NULL REFERENCES accounts (id),
            kind TEXT NOT NULL,
            name TEXT,
            enabled INTEGER NOT NULL,
            disabled_reason TEXT,
            kinds TEXT NOT NULL,
            config TEXT NOT NULL,
            secret TEXT,
            previous_secret TEXT,
            previous_secret_expires_at INTEGER,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            last_success_at INTEGER,
            failing_since INTEGER
        );
        CREATE INDEX destinations_by_account ON destinations (account_id);

        CREATE TABLE deliveries (
            id TEXT PRIMARY KEY,
            account_id INTEGER NOT NULL,
            destination_id TEXT NOT NULL,
            chat_id INTEGER NOT NULL,
            version INTEGER NOT NULL,
            kinds TEXT NOT NULL,
            status TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL,
            next_attempt_at INTEGER,
            lease_until INTEGER NOT NULL DEFAULT 0,
            last_attempt_at INTEGER,
            last_status_code INTEGER,
            last_error TEXT
        ) WITHOUT ROWID;
        CREATE INDEX deliveries_due ON deliveries (destination_id, next_attempt_at) WHERE status = 'pending';
        CREATE INDEX deliveries_by_account ON deliveries (account_id, id DESC);
        CREATE INDEX deliveries_by_destination ON deliveries (destination_id, created_at);

        CREATE TABLE delivery_attempts (
            delivery_id TEXT NOT NULL,
            number INTEGER NOT NULL,
            at INTEGER NOT NULL,
            status_code INTEGER,
            latency_ms REAL NOT NULL,
            error TEXT,
            response BLOB,
            PRIMARY KEY (delivery_id, number)
        ) WITHOUT ROWID;
        """,

        // 5: inbound hooks, and the webhook-ids they saw (replay protection)
        """
        CREATE TABLE sources (
            id TEXT PRIMARY KEY,
            account_id INTEGER NOT NULL REFERENCES accounts (id),
            name TEXT NOT NULL,
            auth TEXT NOT NULL,
            token TEXT NOT NULL UNIQUE,
            username TEXT,
            secret TEXT,
            created_at INTEGER NOT NULL
        );
        CREATE INDEX sources_by_account ON sources (account_id);

        CREATE TABLE source_message_ids (
            source_id TEXT NOT NULL,
            message_id TEXT NOT NULL,
            seen_at INTEGER NOT NULL,
            PRIMARY KEY (source_id, message_id)
        ) WITHOUT ROWID;
        CREATE INDEX source_message_ids_by_time ON source_message_ids (seen_at);
        """,

        // 6: conversations keep no body column; the body is kept once, in its version row
        """
        ALTER TABLE conversations DROP COLUMN body;
        """,

        // 7: destinations as plug-ins: timeout and retry schedule are every kind's, secrets are the kind's own JSON
        """
        ALTER TABLE destinations ADD COLUMN timeout_seconds INTEGER NOT NULL DEFAULT 15;
        ALTER TABLE destinations ADD COLUMN retry_schedule TEXT NOT NULL DEFAULT ',';
        ALTER TABLE destinations ADD COLUMN secrets TEXT;
        UPDATE destinations SET
            timeout_seconds = coalesce(json_extract(config, '$.timeoutSeconds'), 15),
            retry_schedule = ',' || coalesce(
                (SELECT group_concat(value, ',') FROM (SELECT value FROM json_each(config, '$.retrySchedule') ORDER BY key)) || ',', ''),
            secrets = CASE WHEN secret IS NULL THEN NULL ELSE json_object(
                'secret', secret, 'previousSecret', previous_secret, 'previousSecretExpiresAt', previous_secret_expires_at) END,
            config = json_remove(config, '$.timeoutSeconds', '$.retrySchedule');
        ALTER TABLE destinations DROP COLUMN secret;
        ALTER TABLE destinations DROP COLUMN previous_secret;
        ALTER TABLE destinations DROP COLUMN previous_secret_expires_at;
        """,

        // 8: what every destination may redact before sending; the zone an account's people read times in
        """
        ALTER TABLE destinations ADD COLUMN redact TEXT NOT NULL DEFAULT ',';
        ALTER TABLE destinations ADD COLUMN redact_visitor TEXT NOT NULL DEFAULT ',';
        ALTER TABLE accounts ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
        """,

        // 9: why a failing destination's last attempt failed, shown on the destination
        """
        ALTER TABLE destinations ADD COLUMN last_error TEXT;
        """,

        // 10: events found by when they arrived, so that old ones can be forgotten (retention)
        """
        CREATE INDEX events_by_received_at ON events (received_at);
        """,

        // 11: ASP.NET Core Data Protection keys (a portal's cookies), the XML its key manager writes, as written
        """
        CREATE TABLE data_protection_keys (
            id INTEGER PRIMARY KEY,
            friendly_name TEXT,
            xml TEXT NOT NULL,
            created_at INTEGER NOT NULL
        );
        """,

        // 12: the live view: deliveries found by when they were last attempted (only its window is counted), and a
        // destination's queue by age (its size and its oldest without reading what was delivered)
        """
        CREATE INDEX deliveries_by_last_attempt ON deliveries (destination_id, last_attempt_at, status) WHERE last_attempt_at IS NOT NULL;
        CREATE INDEX deliveries_pending_by_created ON deliveries (destination_id, created_at) WHERE status = 'pending';
        """,
    ];

    private const string MigrationsTableSql = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY,
            applied_at INTEGER NOT NULL
        );
        """;

    public static int Latest => Steps.Length;

    /// <param name="now">Epoch ms, recorded as each step's <c>applied_at</c>.</param>
    /// <param name="upTo">Stop after this step (tests build a database as an older Chatport left it); null for all.</param>
    public static async Task ApplyAsync(SqliteConnection connection, long now, CancellationToken cancellationToken, int? upTo = null)
    {
        await using var transaction = connection.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: take the write lock now
        await SchemaMigrator.ApplyAsync(transaction, MigrationsTableSql, Steps, now, upTo, cancellationToken);
    }
}
