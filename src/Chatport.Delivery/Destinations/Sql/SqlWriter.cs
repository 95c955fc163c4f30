using System.Data.Common;
using System.Text.Json;
using Chatport.Storage.Deliveries;

namespace Chatport.Delivery.Destinations.Sql;

/// <summary>
/// Writes one conversation into the <c>sql</c> kind's tables, over an open connection: <c>{prefix}conversations</c>
/// (one row per account and chat, with its version and every <c>channel</c> field), <c>{prefix}visitors</c>,
/// <c>{prefix}messages</c>, <c>{prefix}paths</c> and <c>{prefix}variables</c>, plus <c>{prefix}schema</c> (the tables'
/// version, so a later Chatport can migrate forward). Plain ADO.NET with parameters for every value; the only text put
/// into SQL is the validated prefix.
/// </summary>
internal sealed class SqlWriter(DbConnection connection, bool postgres, string prefix, int timeoutSeconds)
{
    /// <summary>The version of the tables this code writes.</summary>
    public const int SchemaVersion = 1;

    private static readonly (string Column, string Field, Kind Kind)[] ChannelColumns =
    [
        ("is_chat", "isChat", Kind.Boolean), ("is_missed", "isMissed", Kind.Boolean), ("is_triggered", "isTriggered", Kind.Boolean),
        ("is_offline", "isOffline", Kind.Boolean), ("is_completed", "isCompleted", Kind.Boolean), ("is_dropped", "isDropped", Kind.Boolean),
        ("duration", "duration", Kind.Number), ("avg_response", "avgResponse", Kind.Number), ("first_response", "firstResponse", Kind.Number),
        ("messages_count", "messagesCount", Kind.Number), ("words_count", "wordsCount", Kind.Number), ("rating", "rating", Kind.Number),
        ("rating_desc", "ratingDesc", Kind.Text),
    ];

    private static readonly (string Column, string Field, Kind Kind)[] VisitorColumns =
    [
        ("visitor_id", "id", Kind.Number), ("name", "name", Kind.Text), ("email", "email", Kind.Text), ("note", "note", Kind.Text),
        ("group", "group", Kind.Text), ("ip_address", "ipAddress", Kind.Text), ("city", "city", Kind.Text), ("country_code", "countryCode", Kind.Text),
        ("country", "country", Kind.Text), ("user_agent", "userAgent", Kind.Text), ("platform", "platform", Kind.Text), ("referer", "referer", Kind.Text),
    ];

    private static readonly (string Column, string Field, Kind Kind)[] MessageColumns =
    [
        ("type", "type", Kind.Text), ("name", "name", Kind.Text), ("from", "from", Kind.Text), ("content", "content", Kind.Text),
        ("sent_at", "sentAt", Kind.Number), ("triggered_by", "triggeredBy", Kind.Text),
    ];

    private enum Kind { Boolean, Number, Text }

    private string Bool => postgres ? "BOOLEAN" : "INTEGER";

    private string Table(string name) => $"\"{prefix}{name}\"";

    private static string Quoted(string column) => $"\"{column}\"";

    private string Columns((string Column, string Field, Kind Kind)[] columns) =>
        string.Join(", ", columns.Select(c => $"{Quoted(c.Column)} {c.Kind switch { Kind.Boolean => Bool, Kind.Number => "BIGINT", _ => "TEXT" }}"));

    /// <summary>Creates the tables when they are not there and records the schema version (once).</summary>
    public async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        string[] statements =
        [
            $"CREATE TABLE IF NOT EXISTS {Table("schema")} (\"version\" INTEGER NOT NULL)",
            $"""
             CREATE TABLE IF NOT EXISTS {Table("conversations")} ("account_id" BIGINT NOT NULL, "chat_id" BIGINT NOT NULL,
               "version" INTEGER NOT NULL, "kinds" TEXT NOT NULL, "begin_at" BIGINT, "end_at" BIGINT, {Columns(ChannelColumns)},
               PRIMARY KEY ("account_id", "chat_id"))
             """,
            $"""
             CREATE TABLE IF NOT EXISTS {Table("visitors")} ("account_id" BIGINT NOT NULL, "chat_id" BIGINT NOT NULL, {Columns(VisitorColumns)},
               PRIMARY KEY ("account_id", "chat_id"))
             """,
            $"""
             CREATE TABLE IF NOT EXISTS {Table("messages")} ("account_id" BIGINT NOT NULL, "chat_id" BIGINT NOT NULL, "position" INTEGER NOT NULL,
               {Columns(MessageColumns)}, PRIMARY KEY ("account_id", "chat_id", "position"))
             """,
            $"""
             CREATE TABLE IF NOT EXISTS {Table("paths")} ("account_id" BIGINT NOT NULL, "chat_id" BIGINT NOT NULL, "position" INTEGER NOT NULL,
               "url" TEXT, "title" TEXT, PRIMARY KEY ("account_id", "chat_id", "position"))
             """,
            $"""
             CREATE TABLE IF NOT EXISTS {Table("variables")} ("account_id" BIGINT NOT NULL, "chat_id" BIGINT NOT NULL, "key" TEXT NOT NULL,
               "label" TEXT, "value" TEXT, "value_type" TEXT NOT NULL, PRIMARY KEY ("account_id", "chat_id", "key"))
             """,
        ];
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var sql in statements)
        {
            await ExecuteAsync(transaction, sql, [], cancellationToken);
        }
        await using (var count = Command(transaction, $"SELECT COUNT(*) FROM {Table("schema")}", []))
        {
            if (Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                await ExecuteAsync(transaction, $"INSERT INTO {Table("schema")} (\"version\") VALUES (@v)", [("v", SchemaVersion)], cancellationToken);
            }
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Writes the conversation, its row and its child rows, in one transaction unless the table already holds a newer
    /// version of it (then nothing changes). Returns whether it was written.
    /// </summary>
    public async Task<bool> UpsertAsync(DeliveryWork delivery, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(delivery.Body);
        var root = document.RootElement;
        var key = new List<(string, object?)> { ("account_id", delivery.AccountId), ("chat_id", delivery.ChatId) };
        const string Where = "\"account_id\" = @account_id AND \"chat_id\" = @chat_id";

        var channel = Child(root, "channel");
        var conversation = new List<(string Column, object? Value)>(key)
        {
            ("version", delivery.Version), ("kinds", string.Join(',', delivery.Kinds)),
            ("begin_at", Value(Child(root, "beginAt"), Kind.Number)), ("end_at", Value(Child(root, "endAt"), Kind.Number)),
        };
        conversation.AddRange(ChannelColumns.Select(c => (c.Column, Value(Child(channel, c.Field), c.Kind))));

        // The conversation row first, as one upsert that changes nothing when the stored version is newer. It holds the
        // row's lock to the commit (SQLite: the transaction's write lock), so two versions written at once are
        // serialized and the child rows always belong to the version in the row.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var names = string.Join(", ", conversation.Select(c => Quoted(c.Column)));
        var values = string.Join(", ", conversation.Select((_, i) => $"@p{i}"));
        var updates = string.Join(", ", conversation.Skip(2).Select(c => $"{Quoted(c.Column)} = excluded.{Quoted(c.Column)}"));
        var upsert = $"""
            INSERT INTO {Table("conversations")} AS existing ({names}) VALUES ({values})
            ON CONFLICT ("account_id", "chat_id") DO UPDATE SET {updates} WHERE existing."version" <= excluded."version"
            """;
        await using (var command = Command(transaction, upsert, conversation.Select((c, i) => ($"p{i}", c.Value)).ToList()))
        {
            if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                return false;
            }
        }
        foreach (var table in new[] { "variables", "paths", "messages", "visitors" })
        {
            await ExecuteAsync(transaction, $"DELETE FROM {Table(table)} WHERE {Where}", key, cancellationToken);
        }

        var visitor = Child(root, "visitor");
        if (visitor is { ValueKind: JsonValueKind.Object })
        {
            var row = new List<(string, object?)>(key);
            row.AddRange(VisitorColumns.Select(c => (c.Column, Value(Child(visitor, c.Field), c.Kind))));
            await InsertAsync(transaction, "visitors", row, cancellationToken);
            if (Child(visitor, "variables") is { ValueKind: JsonValueKind.Object } variables)
            {
                foreach (var variable in variables.EnumerateObject())
                {
                    var value = Child(variable.Value, "value");
                    await InsertAsync(transaction, "variables",
                    [
                        .. key, ("key", variable.Name), ("label", Value(Child(variable.Value, "label"), Kind.Text)),
                        ("value", value is null || value.Value.ValueKind == JsonValueKind.Null ? null
                            : value.Value.ValueKind == JsonValueKind.String ? value.Value.GetString() : value.Value.GetRawText()),
                        ("value_type", (value?.ValueKind ?? JsonValueKind.Null).ToString().ToLowerInvariant() switch { "true" or "false" => "boolean", var t => t }),
                    ], cancellationToken);
                }
            }
        }
        if (Child(root, "messages") is { ValueKind: JsonValueKind.Array } messages)
        {
            var position = 0;
            foreach (var message in messages.EnumerateArray())
            {
                var row = new List<(string, object?)>(key) { ("position", position++) };
                row.AddRange(MessageColumns.Select(c => (c.Column, Value(Child(message, c.Field), c.Kind))));
                await InsertAsync(transaction, "messages", row, cancellationToken);
            }
        }
        if (Child(root, "paths") is { ValueKind: JsonValueKind.Array } paths)
        {
            var position = 0;
            foreach (var path in paths.EnumerateArray())
            {
                await InsertAsync(transaction, "paths",
                    [.. key, ("position", position++), ("url", Value(Child(path, "url"), Kind.Text)), ("title", Value(Child(path, "title"), Kind.Text))],
                    cancellationToken);
            }
        }
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private static JsonElement? Child(JsonElement? parent, string name) =>
        parent is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty(name, out var value) ? value : null;

    /// <summary>A JSON value as a column value; absent, null or of an unexpected type is NULL.</summary>
    private static object? Value(JsonElement? element, Kind kind) => element switch
    {
        null => null,
        { ValueKind: JsonValueKind.True or JsonValueKind.False } e when kind == Kind.Boolean => e.GetBoolean(),
        { ValueKind: JsonValueKind.Number } e when kind == Kind.Number => e.TryGetInt64(out var n) ? n : (long)Math.Round(e.GetDouble()),
        { ValueKind: JsonValueKind.String } e when kind == Kind.Text => e.GetString(),
        { ValueKind: JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False } e when kind == Kind.Text => e.GetRawText(),
        _ => null,
    };

    private async Task InsertAsync(DbTransaction transaction, string table, List<(string Column, object? Value)> row, CancellationToken cancellationToken)
    {
        var names = string.Join(", ", row.Select(c => Quoted(c.Column)));
        var values = string.Join(", ", row.Select((_, i) => $"@p{i}"));
        await ExecuteAsync(transaction, $"INSERT INTO {Table(table)} ({names}) VALUES ({values})",
            row.Select((c, i) => ($"p{i}", c.Value)).ToList(), cancellationToken);
    }

    private async Task ExecuteAsync(DbTransaction transaction, string sql, List<(string, object?)> parameters, CancellationToken cancellationToken)
    {
        await using var command = Command(transaction, sql, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private DbCommand Command(DbTransaction transaction, string sql, List<(string Name, object? Value)> parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = timeoutSeconds;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }
}
