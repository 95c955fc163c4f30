namespace Chatport.Storage.Chats;

/// <summary>A chat's identity: the account and the chat id (the conversation's <c>channel.id</c>).</summary>
public readonly record struct ChatKey(long AccountId, long ChatId);
