using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Chatport.Contract;

/// <summary>
/// The keys that say whose a conversation is and which chat — <c>accountId</c>, <c>channel</c>, <c>channel.id</c> —
/// may each be given once in a body that arrives. JSON leaves a repeated key to the reader: the contract's serializer
/// keeps the last, many readers keep the first, so <c>"accountId":309,"accountId":208</c> passes a check for 208 and
/// reaches a destination as 309. A type-info modifier: the serializer calls the setter once per key it reads (escaped
/// spellings too), and the setter refuses a second one. No second parse, nothing allocated.
/// </summary>
internal static class IdentityKeys
{
    public static void RefuseRepeats(JsonTypeInfo info)
    {
        if (info.Type == typeof(Conversation))
        {
            Guard(info, "accountId", static owner => ((Conversation)owner).AccountId.HasValue);
            Guard(info, "channel", static owner => ((Conversation)owner).Channel is not null);
        }
        else if (info.Type == typeof(Channel))
        {
            Guard(info, "id", static owner => ((Channel)owner).Id.HasValue);
        }
    }

    private static void Guard(JsonTypeInfo info, string name, Func<object, bool> given)
    {
        var property = info.Properties.Single(p => p.Name == name);
        var set = property.Set ?? throw new NotSupportedException($"The contract's `{name}` has no setter.");
        property.Set = (owner, value) =>
        {
            if (given(owner))
            {
                throw new JsonException(
                    $"the key `{name}` is given more than once; it must be given once, so that every reader finds the same account and chat");
            }
            set(owner, value);
        };
    }
}
