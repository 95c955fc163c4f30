using System.Data.Common;
using Chatport.Storage.Sources;

namespace Chatport.Storage.Relational;

internal abstract partial class RelationalStore
{
    private const string SourceColumns = "id, account_id, name, auth, token, username, secret, created_at";
    private const string SourceSelect = $"SELECT {SourceColumns} FROM sources";

    public Task CreateSourceAsync(HookSource source, CancellationToken cancellationToken = default) =>
        ExecuteAsync($"INSERT INTO sources ({SourceColumns}) VALUES (@id, @account, @name, @auth, @token, @username, @secret, @created)", command =>
        {
            command.AddText("@id", source.Id);
            command.AddBigint("@account", source.AccountId);
            command.AddText("@name", source.Name);
            command.AddText("@auth", source.Auth);
            command.AddText("@token", source.Token);
            command.AddText("@username", source.Username);
            command.AddText("@secret", source.Secret);
            command.AddTime("@created", source.CreatedAt);
        }, cancellationToken);

    public Task<HookSource?> GetSourceAsync(long accountId, string id, CancellationToken cancellationToken = default) =>
        QueryFirstAsync($"{SourceSelect} WHERE id = @id AND account_id = @account",
            command => BindAccountRow(command, accountId, id), ReadSource, cancellationToken);

    /// <summary>Sources by token, read on every hook request (see <see cref="LookupCache{TValue}"/>).</summary>
    private readonly LookupCache<HookSource> SourcesByToken = new(time);

    public Task<HookSource?> FindSourceByTokenAsync(string token, CancellationToken cancellationToken = default) =>
        SourcesByToken.GetOrReadAsync(token, () =>
            QueryFirstAsync($"{SourceSelect} WHERE token = @token", command => command.AddText("@token", token), ReadSource, cancellationToken));

    public async Task<IReadOnlyList<HookSource>> ListSourcesAsync(long accountId, CancellationToken cancellationToken = default) =>
        await QueryAsync($"{SourceSelect} WHERE account_id = @account ORDER BY created_at, id",
            command => command.AddBigint("@account", accountId), ReadSource, cancellationToken);

    public async Task<bool> DeleteSourceAsync(long accountId, string id, CancellationToken cancellationToken = default)
    {
        var deleted = await ExecuteAsync("DELETE FROM sources WHERE id = @id AND account_id = @account",
            command => BindAccountRow(command, accountId, id), cancellationToken) == 1;
        SourcesByToken.Clear(); // after the delete: a read racing it may have kept the row
        return deleted;
    }

    private static HookSource ReadSource(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetInt64(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        reader.GetStringOrNull(5),
        reader.GetStringOrNull(6),
        reader.GetTime(7));
}
