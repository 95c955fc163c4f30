namespace Chatport.Storage.Sqlite;

/// <summary>
/// Kinds kept in one column as <c>,completed,missed,</c>, so a filter is <c>instr(kinds, ',missed,')</c>: an exact,
/// case-sensitive match of one whole kind (not a <c>LIKE</c>, whose wildcards and case folding would over-match).
/// </summary>
internal static class SqliteKinds
{
    public static string ToColumn(IReadOnlyList<string> kinds) => "," + string.Join(',', kinds) + ",";

    public static IReadOnlyList<string> FromColumn(string column) =>
        column.Split(',', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The needle for one kind; a "kind" holding a comma can match nothing.</summary>
    public static string Pattern(string kind) => kind.Contains(',', StringComparison.Ordinal) ? "\u0000" : "," + kind + ",";
}
