using System.Text;
using Cloud.Allocator.Configuration;

namespace Cloud.Allocator.Containers;

/// <summary>
/// Prepares an instance's files on the host before its definition is written: the data directory
/// (never removed by the allocator, so it outlives container recreations), the cluster's snapshot
/// repository directory, and <c>unicast_hosts.txt</c>,
/// rewritten in place (same inode) so the running container's bind mount sees every change.
/// </summary>
internal static class InstanceDirectories
{
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute;

    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <returns>True when <c>unicast_hosts.txt</c> changed.</returns>
    public static bool Ensure(InstancePaths paths, string unicastHosts, ResolvedAllocatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(options);
        if (!Directory.Exists(paths.DataDirectory))
        {
            CreateOwned(paths.InstanceDirectory, options);
            CreateOwned(paths.DataDirectory, options);
        }

        if (!Directory.Exists(paths.SnapshotRepository))
        {
            CreateOwned(Path.GetDirectoryName(paths.SnapshotRepository)!, options);
            CreateOwned(paths.SnapshotRepository, options);
        }

        var content = Encoding.UTF8.GetBytes(unicastHosts);
        if (File.Exists(paths.UnicastHostsFile) && File.ReadAllBytes(paths.UnicastHostsFile).AsSpan().SequenceEqual(content))
        {
            return false;
        }

        var created = !File.Exists(paths.UnicastHostsFile);

        // Truncate and write the same file: a rename would leave the container's bind mount on the old inode.
        using (var stream = new FileStream(paths.UnicastHostsFile, System.IO.FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite))
        {
            stream.SetLength(0);
            stream.Write(content);
        }

        if (created && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(paths.UnicastHostsFile, FileMode);
            FileOwnership.TryChange(paths.UnicastHostsFile, options.InstanceUid, options.InstanceGid);
        }

        return true;
    }

    private static void CreateOwned(string path, ResolvedAllocatorOptions options)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, DirectoryMode);
        FileOwnership.TryChange(path, options.InstanceUid, options.InstanceGid);
    }
}
