namespace Chatport.Storage.Destinations;

/// <summary>
/// What routing a conversation needs of an enabled destination: its id and the kinds it takes (empty: all). Read in
/// the writing session for every conversation stored, so it is two columns rather than the whole destination.
/// </summary>
public sealed record DestinationRoute(string Id, IReadOnlyList<string> Kinds)
{
    /// <summary>Whether a conversation of these kinds goes to this destination.</summary>
    public bool Accepts(IReadOnlyList<string> conversationKinds) => Destination.Accepts(Kinds, conversationKinds);
}
