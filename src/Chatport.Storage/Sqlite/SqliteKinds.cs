namespace Chatport.Storage.Sqlite;

/// <summary>Kinds kept in one column as <c>,completed,missed,</c>, so a filter is a <c>LIKE '%,missed,%'</c>.</summary>
internal static class SqliteKinds
{
    public static string ToColumn(IReadOnlyList<string> kinds) => "," + string.Join(',', kinds) + ",";

    public static IReadOnlyList<string> FromColumn(string column) =>
        column.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public static string Pattern(string kind) => "%," + kind + ",%";
}
