using Chatport.Tracking;

namespace Chatport.Contract;

/// <summary>
/// What filing a conversation needs of it: whose it is, which chat, its kinds and its times. Read from a built
/// <see cref="Conversation"/> (<see cref="Of"/>) or straight from its JSON (<see cref="ContractScanner"/>).
/// </summary>
public sealed class ConversationHead
{
    public Optional<long> AccountId { get; init; }

    public Optional<long> BeginAt { get; init; }

    public Optional<long> EndAt { get; init; }

    /// <summary>The channel's id and the flags its kinds come from (its other fields are not read).</summary>
    public required Channel Channel { get; init; }

    /// <summary>The chat's id (<c>channel.id</c>).</summary>
    public long ChatId => Channel.Id.Value;

    /// <summary>The kinds destinations filter on (<see cref="ConversationKinds.Of"/>).</summary>
    public IReadOnlyList<string> Kinds => ConversationKinds.Of(Channel);

    /// <summary>The head of a conversation that passed <see cref="ContractJson.Parse(ReadOnlySpan{byte})"/>.</summary>
    public static ConversationHead Of(Conversation conversation) => new()
    {
        AccountId = conversation.AccountId,
        BeginAt = conversation.BeginAt,
        EndAt = conversation.EndAt,
        Channel = conversation.Channel ?? throw new ArgumentException("The conversation has no channel.", nameof(conversation)),
    };
}
