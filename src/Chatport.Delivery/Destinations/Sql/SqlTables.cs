using System.Collections.Concurrent;

namespace Chatport.Delivery.Destinations.Sql;

/// <summary>
/// The <c>sql</c> kind's tables, as both the schema (<see cref="SqlWriter"/>) and the rows (<see cref="SqlRows"/>)
/// see them: <c>{prefix}conversations</c> (one row per account and chat, with its version and every <c>channel</c>
/// field), <c>{prefix}visitors</c>, <c>{prefix}messages</c>, <c>{prefix}paths</c>, <c>{prefix}variables</c> and
/// <c>{prefix}schema</c>. The only text put into SQL is the validated prefix; every value is a parameter.
/// </summary>
internal sealed class SqlTables(string prefix)
{
    /// <summary>The version of the tables this code writes.</summary>
    public const int SchemaVersion = 1;

    public enum Kind { Boolean, Number, Text }

    public static readonly (string Column, string Field, Kind Kind)[] ChannelColumns =
    [
        ("is_chat", "isChat", Kind.Boolean), ("is_missed", "isMissed", Kind.Boolean), ("is_triggered", "isTriggered", Kind.Boolean),
        ("is_offline", "isOffline", Kind.Boolean), ("is_completed", "isCompleted", Kind.Boolean), ("is_dropped", "isDropped", Kind.Boolean),
        ("duration", "duration", Kind.Number), ("avg_response", "avgResponse", Kind.Number), ("first_response", "firstResponse", Kind.Number),
        ("messages_count", "messagesCount", Kind.Number), ("words_count", "wordsCount", Kind.Number), ("rating", "rating", Kind.Number),
        ("rating_desc", "ratingDesc", Kind.Text),
    ];

    public static readonly (string Column, string Field, Kind Kind)[] VisitorColumns =
    [
        ("visitor_id", "id", Kind.Number), ("name", "name", Kind.Text), ("email", "email", Kind.Text), ("note", "note", Kind.Text),
        ("group", "group", Kind.Text), ("ip_address", "ipAddress", Kind.Text), ("city", "city", Kind.Text), ("country_code", "countryCode", Kind.Text),
        ("country", "country", Kind.Text), ("user_agent", "userAgent", Kind.Text), ("platform", "platform", Kind.Text), ("referer", "referer", Kind.Text),
    ];

    public static readonly (string Column, string Field, Kind Kind)[] MessageColumns =
    [
        ("type", "type", Kind.Text), ("name", "name", Kind.Text), ("from", "from", Kind.Text), ("content", "content", Kind.Text),
        ("sent_at", "sentAt", Kind.Number), ("triggered_by", "triggeredBy", Kind.Text),
    ];

    /// <summary>The child tables, each keyed by (account_id, chat_id, …) and rewritten with the conversation.</summary>
    public static readonly string[] ChildTables = ["variables", "paths", "messages", "visitors"];

    /// <summary>The columns each statement of <see cref="SqlRows"/> gives values for, in its parameters' order (@p0, @p1…).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> RowColumns = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["conversations"] = ["account_id", "chat_id", "version", "kinds", "begin_at", "end_at", .. ChannelColumns.Select(c => c.Column)],
        ["visitors"] = ["account_id", "chat_id", .. VisitorColumns.Select(c => c.Column)],
        ["variables"] = ["account_id", "chat_id", "key", "label", "value", "value_type"],
        ["messages"] = ["account_id", "chat_id", "position", .. MessageColumns.Select(c => c.Column)],
        ["paths"] = ["account_id", "chat_id", "position", "url", "title"],
    };

    private readonly Dictionary<string, string> _deletes = ChildTables.ToDictionary(t => t, t =>
        $"""DELETE FROM {Name(prefix, t)} WHERE "account_id" = @account_id AND "chat_id" = @chat_id AND {HoldsVersion(prefix)}""", StringComparer.Ordinal);

    private readonly ConcurrentDictionary<(string Table, int Rows), string> _inserts = new();

    /// <summary>A table's quoted name.</summary>
    public string this[string name] => Name(prefix, name);

    /// <summary>
    /// The conversation's row, upserted from @p0… (<see cref="RowColumns"/>): nothing changes when the stored version
    /// is newer (the statement then affects no row).
    /// </summary>
    public string Upsert { get; } = $"""
        INSERT INTO {Name(prefix, "conversations")} AS existing ({string.Join(", ", RowColumns["conversations"].Select(Quoted))})
        VALUES ({string.Join(", ", RowColumns["conversations"].Select((_, i) => $"@p{i}"))})
        ON CONFLICT ("account_id", "chat_id") DO UPDATE SET
        {string.Join(", ", RowColumns["conversations"].Skip(2).Select(c => $"{Quoted(c)} = excluded.{Quoted(c)}"))}
        WHERE existing."version" <= excluded."version"
        """;

    /// <summary>Deletes a child table's rows of @account_id/@chat_id while the conversation row holds @version.</summary>
    public string Delete(string table) => _deletes[table];

    /// <summary>
    /// Inserts <paramref name="rows"/> child rows from @p0… (<see cref="RowColumns"/>, row after row) while the
    /// conversation row holds @version: one statement for a conversation's messages, not one per message.
    /// </summary>
    public string Insert(string table, int rows) => _inserts.GetOrAdd((table, rows), key =>
    {
        var width = RowColumns[key.Table].Length;
        var values = string.Join(", ", Enumerable.Range(0, key.Rows)
            .Select(row => "(" + string.Join(", ", Enumerable.Range(row * width, width).Select(i => $"@p{i}")) + ")"));
        return $"INSERT INTO {Name(prefix, key.Table)} ({string.Join(", ", RowColumns[key.Table].Select(Quoted))}) " +
            $"SELECT * FROM (VALUES {values}) AS v WHERE {HoldsVersion(prefix)}";
    });

    public static string Quoted(string column) => $"\"{column}\"";

    private static string Name(string prefix, string table) => $"\"{prefix}{table}\"";

    /// <summary>Whether the conversation row of @account_id/@chat_id holds @version (the version being written).</summary>
    private static string HoldsVersion(string prefix) =>
        $"""EXISTS (SELECT 1 FROM {Name(prefix, "conversations")} WHERE "account_id" = @account_id AND "chat_id" = @chat_id AND "version" = @version)""";
}
