using System.Data;
using System.Text.Json;
using Chatport.Storage.Deliveries;
using static Chatport.Delivery.Destinations.Sql.SqlTables;

namespace Chatport.Delivery.Destinations.Sql;

/// <summary>
/// The statements that write one conversation: first its row, upserted so that nothing changes when the stored
/// version is newer; then its child rows, deleted and inserted only while the row holds this version. Each
/// statement checks that for itself, so a batch of conversations can go to the server without reading anything
/// back between them — two versions of one chat in one batch end with the newer one and its children.
/// </summary>
internal sealed class SqlRows
{
    /// <summary>A value and its database type (typed even when null, so PostgreSQL need not guess).</summary>
    public readonly record struct Parameter(string Name, object? Value, DbType Type);

    public readonly record struct Statement(string Sql, Parameter[] Parameters);

    private SqlRows(List<Statement> statements) => Statements = statements;

    /// <summary>The statements, the conversation's upsert first (it affects no row when a newer version is stored).</summary>
    public IReadOnlyList<Statement> Statements { get; }

    /// <exception cref="JsonException">The body is not JSON.</exception>
    public static SqlRows Of(DeliveryWork delivery, SqlTables tables)
    {
        using var document = JsonDocument.Parse(delivery.Body);
        var root = document.RootElement;
        Parameter[] guard =
        [
            new("account_id", delivery.AccountId, DbType.Int64), new("chat_id", delivery.ChatId, DbType.Int64),
            new("version", delivery.Version, DbType.Int32),
        ];
        var statements = new List<Statement>();

        // The conversation's values in the order of SqlTables.RowColumns, as @p0, @p1…
        var channel = Child(root, "channel");
        (object? Value, DbType Type)[] conversation =
        [
            (delivery.AccountId, DbType.Int64), (delivery.ChatId, DbType.Int64), (delivery.Version, DbType.Int32),
            (string.Join(',', delivery.Kinds), DbType.String),
            (Value(Child(root, "beginAt"), Kind.Number), DbType.Int64), (Value(Child(root, "endAt"), Kind.Number), DbType.Int64),
            .. ChannelColumns.Select(c => (Value(Child(channel, c.Field), c.Kind), TypeOf(c.Kind))),
        ];
        statements.Add(new(tables.Upsert, conversation.Select((c, i) => new Parameter(Name(i), c.Value, c.Type)).ToArray()));
        foreach (var table in ChildTables)
        {
            statements.Add(new(tables.Delete(table), guard));
        }

        var children = ChildTables.ToDictionary(t => t, _ => new List<(object? Value, DbType Type)[]>(), StringComparer.Ordinal);
        (object?, DbType)[] key = [(delivery.AccountId, DbType.Int64), (delivery.ChatId, DbType.Int64)];
        var visitor = Child(root, "visitor");
        if (visitor is { ValueKind: JsonValueKind.Object })
        {
            children["visitors"].Add([.. key, .. VisitorColumns.Select(c => (Value(Child(visitor, c.Field), c.Kind), TypeOf(c.Kind)))]);
            if (Child(visitor, "variables") is { ValueKind: JsonValueKind.Object } variables)
            {
                // A key given twice in the JSON keeps its last value, as JSON readers do (the key is the row's key).
                foreach (var variable in variables.EnumerateObject().GroupBy(v => v.Name, StringComparer.Ordinal).Select(g => g.Last()))
                {
                    var value = Child(variable.Value, "value");
                    children["variables"].Add(
                    [
                        .. key, (variable.Name, DbType.String), (Value(Child(variable.Value, "label"), Kind.Text), DbType.String),
                        (value is null || value.Value.ValueKind == JsonValueKind.Null ? null
                            : value.Value.ValueKind == JsonValueKind.String ? value.Value.GetString() : value.Value.GetRawText(), DbType.String),
                        ((value?.ValueKind ?? JsonValueKind.Null).ToString().ToLowerInvariant() switch { "true" or "false" => "boolean", var t => t },
                            DbType.String),
                    ]);
                }
            }
        }
        if (Child(root, "messages") is { ValueKind: JsonValueKind.Array } messages)
        {
            var position = 0;
            foreach (var message in messages.EnumerateArray())
            {
                children["messages"].Add(
                    [.. key, (position++, DbType.Int32), .. MessageColumns.Select(c => (Value(Child(message, c.Field), c.Kind), TypeOf(c.Kind)))]);
            }
        }
        if (Child(root, "paths") is { ValueKind: JsonValueKind.Array } paths)
        {
            var position = 0;
            foreach (var path in paths.EnumerateArray())
            {
                children["paths"].Add(
                [
                    .. key, (position++, DbType.Int32),
                    (Value(Child(path, "url"), Kind.Text), DbType.String), (Value(Child(path, "title"), Kind.Text), DbType.String),
                ]);
            }
        }

        // Each table's rows in statements of at most MaxRowsPerStatement rows, the guard's parameters after them.
        foreach (var (table, rows) in children)
        {
            foreach (var chunk in rows.Chunk(MaxRowsPerStatement))
            {
                var parameters = new List<Parameter>(chunk.Length * chunk[0].Length + guard.Length);
                foreach (var row in chunk)
                {
                    foreach (var (value, type) in row)
                    {
                        parameters.Add(new Parameter(Name(parameters.Count), value, type));
                    }
                }
                parameters.AddRange(guard);
                statements.Add(new(tables.Insert(table, chunk.Length), parameters.ToArray()));
            }
        }
        return new SqlRows(statements);
    }

    /// <summary>The most child rows one statement inserts (a long chat's messages take several).</summary>
    private const int MaxRowsPerStatement = 100;

    /// <summary>@p0, @p1… made once for as many values as the widest statement has.</summary>
    private static readonly string[] Names = Enumerable.Range(0, MaxRowsPerStatement * RowColumns.Values.Max(c => c.Length)).Select(i => $"p{i}").ToArray();

    private static string Name(int index) => Names[index];

    private static DbType TypeOf(Kind kind) => kind switch { Kind.Boolean => DbType.Boolean, Kind.Number => DbType.Int64, _ => DbType.String };

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
}
