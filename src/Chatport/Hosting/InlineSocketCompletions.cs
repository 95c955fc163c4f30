namespace Chatport.Hosting;

/// <summary>
/// Lets socket completions run on the socket engine's own threads instead of being queued to the thread pool
/// (.NET's <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS</c>), unless the environment already says otherwise.
/// A webhook's answer then carries its delivery on to the next send without a thread-pool hop: measured over a
/// 100,000-conversation burst, 5–19 % less CPU per conversation in five pairs (bench/README.md). It is safe here because
/// nothing in Chatport blocks a thread on a socket (no sync-over-async), and Kestrel still runs request handlers
/// on the thread pool. Set the variable to <c>0</c> to turn it off.
/// </summary>
internal static class InlineSocketCompletions
{
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Must run before the process's first socket: the runtime reads the variable once.</summary>
    public static void EnableUnlessSet()
    {
        if (Environment.GetEnvironmentVariable(Variable) is null)
        {
            Environment.SetEnvironmentVariable(Variable, "1");
        }
    }
}
