namespace Chatport.Cli.Remote;

/// <summary>A remote call that failed, with the sentence to print and the exit code to end with.</summary>
internal sealed class RemoteException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
