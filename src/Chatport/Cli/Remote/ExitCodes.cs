namespace Chatport.Cli.Remote;

/// <summary>What a remote command's exit code means; scripts rely on these.</summary>
internal static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>The server refused (its problem detail is printed), or what was checked is not valid.</summary>
    public const int Refused = 1;

    /// <summary>The command line is wrong (System.CommandLine's errors, or an option's value that cannot be used).</summary>
    public const int Usage = 2;

    /// <summary>The server cannot be reached (connection refused, unknown host, no answer in time).</summary>
    public const int Unreachable = 3;

    /// <summary>The key was refused: 401 (missing or wrong) or 403 (not allowed to do this).</summary>
    public const int WrongKey = 4;
}
