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

    /// <summary>Filters left out bind their parameters all the same (as nulls), which no statement then reads.</summary>
    public async Task<ConversationPage> ListConversationsAsync(ConversationQuery query, CancellationToken cancellationToken = default)
    {
        var where = "c.account_id = @account"
            + (query.Kind is null ? "" : " AND " + Dialect.HasKind("c.kinds", "@kind"))
            + (query.From is null ? "" : " AND coalesce(c.end_at, 0) >= @from")
            + (query.To is null ? "" : " AND coalesce(c.end_at, 0) < @to")
            + (query.After is null ? "" : " AND (coalesce(c.end_at, 0), c.chat_id) < (@afterEnd, @afterChat)");
        var items = await QueryAsync($"{_conversationSelect} WHERE {where} ORDER BY coalesce(c.end_at, 0) DESC, c.chat_id DESC LIMIT @limit", command =>
        {
            command.AddBigint("@account", query.AccountId);
            Dialect.AddKind(command, "@kind", query.Kind);
            command.AddBigint("@from", query.From);
            command.AddBigint("@to", query.To);
            command.AddBigint("@afterEnd", query.After?.EndAt);
            command.AddBigint("@afterChat", query.After?.ChatId);
            command.AddInteger("@limit", query.Limit + 1);
        }, ReadConversation, cancellationToken);
        return ConversationPage.FromOneExtra(items, query.Limit);
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
