namespace Chatport.Tests.Faults;

/// <summary>
/// The fault tests: real node processes under load, killed, stopped and cut off from their database. They run
/// alone (no other test competes for the machine's cores while a node is pushed to its limits), one at a time.
/// </summary>
[CollectionDefinition(nameof(FaultsCollection), DisableParallelization = true)]
public sealed class FaultsCollection;
