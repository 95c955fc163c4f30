using System.Data;
using System.Data.Common;

namespace Chatport.Storage.Relational;

/// <summary>
/// Binds the values of the shared SQL (<c>@name</c> parameters, which both Microsoft.Data.Sqlite and Npgsql accept)
/// with their type stated, so a null never leaves PostgreSQL guessing and SQLite stores the affinity it would
/// anyway. Times are <c>bigint</c> epoch ms in both databases; a <see cref="bool"/> binds as SQLite's integer 1/0 and
/// as PostgreSQL's <c>boolean</c>. Kinds and borrowed bytes have no neutral form: see <see cref="RelationalDialect"/>.
/// A name is given with its <c>@</c>, as the SQL spells it: Microsoft.Data.Sqlite looks a bare name up once per
/// prefix it might have, allocating each time, on every execution.
/// </summary>
internal static class CommandParameters
{
    public static void AddBigint(this DbCommand command, string name, long? value) => Add(command, name, DbType.Int64, value);

    public static void AddInteger(this DbCommand command, string name, int? value) => Add(command, name, DbType.Int32, value);

    public static void AddBoolean(this DbCommand command, string name, bool value) => Add(command, name, DbType.Boolean, value);

    public static void AddText(this DbCommand command, string name, string? value) => Add(command, name, DbType.String, value);

    public static void AddTime(this DbCommand command, string name, DateTimeOffset? value) =>
        command.AddBigint(name, value?.ToUnixTimeMilliseconds());

    public static void AddBytes(this DbCommand command, string name, byte[]? value) => Add(command, name, DbType.Binary, value);

    private static void Add(DbCommand command, string name, DbType type, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
