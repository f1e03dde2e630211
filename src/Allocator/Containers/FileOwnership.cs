using System.Runtime.InteropServices;

namespace Cloud.Allocator.Containers;

/// <summary>Hands instance directories to the user the Elasticsearch image runs as, when this process may.</summary>
internal static partial class FileOwnership
{
    public static bool IsRoot => OperatingSystem.IsLinux() && GetEffectiveUserId() == 0;

    /// <summary>chown; returns false (leaving ownership as is) when not root or when it fails.</summary>
    public static bool TryChange(string path, int uid, int gid) => IsRoot && Chown(path, uid, gid) == 0;

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    [LibraryImport("libc", EntryPoint = "chown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Chown(string path, int owner, int group);
}
