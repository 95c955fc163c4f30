using System.Runtime.InteropServices;

namespace Chatport.Hosting;

/// <summary>
/// Sets the process's umask to 077 before anything opens a file, so that whatever Chatport creates — beyond the
/// data dir's folders and files, which are made owner-only explicitly (<see cref="Storage.OwnerOnly"/>) — is its
/// user's alone: a file SQLite makes for itself, an export, a backup. Nothing Chatport writes is meant for another
/// user; an operator who wants a reader to see an export grants it on that file (or its folder) afterwards.
/// </summary>
internal static class OwnerOnlyUmask
{
    /// <summary>No group or other permission bits on what the process creates.</summary>
    public const uint Mask = 0b000_111_111; // 077

    /// <summary>Must run first in <c>Main</c>: the umask is the process's, shared by every thread. Nothing on Windows.</summary>
    public static void Apply()
    {
        if (!OperatingSystem.IsWindows())
        {
            SetUmask(Mask);
        }
    }

    // DllImport rather than LibraryImport: the generated marshalling needs AllowUnsafeBlocks, and uint -> uint
    // (mode_t) needs no marshalling at all.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "umask")]
    private static extern uint SetUmask(uint mask);
#pragma warning restore SYSLIB1054
}
