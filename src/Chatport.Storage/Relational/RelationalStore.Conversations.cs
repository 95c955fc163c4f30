using System.Data.Common;
using Chatport.Storage.Conversations;

namespace Chatport.Storage.Relational;

internal abstract partial class RelationalStore
{
    private readonly string _conversationSelect = SelectConversations(dialect);

    private readonly string _conversationByIdSql = SelectConversations(dialect) + " WHERE c.account_id = @account AND c.chat_id = @chat";

    public Task<StoredConversation?> GetConversationAsync(long accountId, long chatId, CancellationToken cancellationToken = default) =>
        QueryFirstAsync(_conversationByIdSql, command =>
        {
            command.AddBigint("@account", accountId);
            command.AddBigint("@chat", chatId);
        }, ReadConversation, cancellationToken);

    /// <summary>How many rows a search reads in one statement.</summary>
    private const int SearchChunk = 200;

    private readonly string _versionsSql =
        "SELECT version, source, stored_at, body FROM conversation_versions WHERE account_id = @account AND chat_id = @chat "
        + $"ORDER BY version DESC LIMIT {StoredConversationVersion.MaxListed}";

    /// <summary>Filters left out bind their parameters all the same (as nulls), which no statement then reads.</summary>
    public async Task<ConversationPage> ListConversationsAsync(ConversationQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        if (!string.IsNullOrEmpty(query.Search))
        {
            return await SearchConversationsAsync(query, cancellationToken);
        }
        var items = await ReadConversationRowsAsync(query, query.After, query.Limit + 1, cancellationToken);
        return ConversationPage.FromOneExtra(items, query.Limit);
    }

    public async Task<IReadOnlyList<StoredConversationVersion>> ListConversationVersionsAsync(long accountId, long chatId, CancellationToken cancellationToken = default) =>
        await QueryAsync(_versionsSql, command =>
        {
            command.AddBigint("@account", accountId);
            command.AddBigint("@chat", chatId);
        }, reader => new StoredConversationVersion(reader.GetInt32(0), reader.GetString(1), reader.GetTime(2), reader.GetByteArray(3)), cancellationToken);

    /// <summary>
    /// A search: the database keeps the rows whose body text contains the search (a <c>LIKE</c> over the JSON, which
    /// may also hit keys or other fields), and each is then parsed and kept only when the visitor's name or e-mail or
    /// a message's content holds it (<see cref="ConversationSearch.Matches"/>). Rows are read in chunks until the page
    /// is full, the rows run out, or <see cref="ConversationQuery.MaxSearchExamined"/> rows were checked; in the last
    /// case the page ends with a cursor at the last row checked, even when it found fewer than the limit.
    /// Known limit of the pre-filter: it sees the stored JSON text, so a value stored with JSON escapes (a name kept
    /// as <c>\u00e9</c>, a <c>"</c> kept as <c>\"</c>) is not found by the characters it stands for.
    /// </summary>
    private async Task<ConversationPage> SearchConversationsAsync(ConversationQuery query, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Search!.Length, ConversationQuery.MaxSearchLength);
        var pattern = "%" + ConversationSearch.EscapeLike(query.Search) + "%";
        var found = new List<StoredConversation>();
        var after = query.After;
        var examined = 0;
        while (true)
        {
            var chunk = Math.Min(SearchChunk, ConversationQuery.MaxSearchExamined - examined);
            var rows = await ReadConversationRowsAsync(query, after, chunk, cancellationToken, pattern);
            foreach (var row in rows)
            {
                examined++;
                after = new ConversationCursor(row.EndAt ?? 0, row.ChatId);
                if (!ConversationSearch.Matches(row.Body, query.Search))
                {
                    continue;
                }
                found.Add(row);
                if (found.Count > query.Limit)
                {
                    return ConversationPage.FromOneExtra(found, query.Limit);
                }
            }
            if (rows.Count < chunk)
            {
                return new ConversationPage(found, null); // the rows ran out
            }
            if (examined >= ConversationQuery.MaxSearchExamined)
            {
                return new ConversationPage(found, after); // the bound: go on from the last row checked
            }
        }
    }

    private Task<List<StoredConversation>> ReadConversationRowsAsync(
        ConversationQuery query, ConversationCursor? after, int limit, CancellationToken cancellationToken, string? pattern = null)
    {
        var where = "c.account_id = @account"
            + (query.Kind is null ? "" : " AND " + Dialect.HasKind("c.kinds", "@kind"))
            + (query.From is null ? "" : " AND coalesce(c.end_at, 0) >= @from")
            + (query.To is null ? "" : " AND coalesce(c.end_at, 0) < @to")
            + (after is null ? "" : " AND (coalesce(c.end_at, 0), c.chat_id) < (@afterEnd, @afterChat)")
            + (pattern is null ? "" : " AND " + Dialect.BodyLike(Dialect.ConversationBody, "@search"));
        return QueryAsync($"{_conversationSelect} WHERE {where} ORDER BY coalesce(c.end_at, 0) DESC, c.chat_id DESC LIMIT @limit", command =>
        {
            command.AddBigint("@account", query.AccountId);
            Dialect.AddKind(command, "@kind", query.Kind);
            command.AddBigint("@from", query.From);
            command.AddBigint("@to", query.To);
            command.AddBigint("@afterEnd", after?.EndAt);
            command.AddBigint("@afterChat", after?.ChatId);
            command.AddText("@search", pattern);
            command.AddInteger("@limit", limit);
        }, ReadConversation, cancellationToken);
    }

    /// <summary>A conversation's columns (as <c>c</c>), with its latest version's body where the dialect keeps it.</summary>
    private static string SelectConversations(RelationalDialect dialect) =>
        $"SELECT c.account_id, c.chat_id, c.version, c.kinds, c.begin_at, c.end_at, c.source, c.stored_at, {dialect.ConversationBody} FROM conversations c";

    private StoredConversation ReadConversation(DbDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetInt64(1),
        reader.GetInt32(2),
        Dialect.ReadKinds(reader, 3),
        reader.GetInt64OrNull(4),
        reader.GetInt64OrNull(5),
        reader.GetString(6),
        reader.GetTime(7),
        reader.GetByteArray(8));
}
