namespace Chatport.Contract;

/// <summary>The few things a conversation must have for Chatport to file it.</summary>
internal static class ContractValidator
{
    public static Conversation Validate(Conversation? conversation)
    {
        if (conversation is null)
        {
            throw new ContractException("The body must be a JSON object (a seed-format conversation), not null.", "$");
        }
        if (conversation.Channel is null)
        {
            throw new ContractException("Missing object $.channel.", "$.channel");
        }
        if (!conversation.Channel.Id.HasValue)
        {
            throw new ContractException("Missing integer $.channel.id (the chat's id).", "$.channel.id");
        }
        if (conversation.Messages is null)
        {
            throw new ContractException("Missing array $.messages.", "$.messages");
        }
        for (var i = 0; i < conversation.Messages.Count; i++)
        {
            if (conversation.Messages[i] is null)
            {
                throw new ContractException($"$.messages[{i}] must be an object, not null.", $"$.messages[{i}]");
            }
        }
        return conversation;
    }
}
