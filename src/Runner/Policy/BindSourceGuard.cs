using System.Collections.Immutable;
using Cloud.Shared.Containers;

namespace Cloud.Runner.Policy;

/// <summary>
/// The file-system half of the bind-mount rule, checked right before a container is created: every
/// path component below the data root must be a real directory (or, last, a file), never a symbolic
/// link a compromised container could have planted to point elsewhere. A missing source is never
/// created: the runner cannot tell a file bind from a directory bind, and Docker would make a
/// directory where a file (<c>unicast_hosts.txt</c>) belongs. The definition's writer prepares its sources.
/// </summary>
internal static class BindSourceGuard
{
    public static BindSourceCheck Check(ContainerSpec spec, string dataRoot)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var refusals = ImmutableArray.CreateBuilder<string>();
        var missing = ImmutableArray.CreateBuilder<string>();
        var root = DataRootPaths.Normalize(dataRoot);
        foreach (var bind in spec.HostConfig?.Binds ?? [])
        {
            if (bind is null || BindMount.TryParse(bind) is not { } mount || !DataRootPaths.IsStrictlyUnder(mount.Source, root))
            {
                refusals.Add($"HostConfig.Binds entry '{bind}' is refused: bind mounts must stay under the data root {dataRoot}");
                continue;
            }

            if (FindLink(root, DataRootPaths.Normalize(mount.Source)) is { } link)
            {
                refusals.Add($"HostConfig.Binds entry '{bind}' is refused: {link} is a symbolic link, and bind sources must be real paths under the data root {dataRoot}");
                continue;
            }

            if (!Path.Exists(mount.Source))
            {
                missing.Add($"bind source {mount.Source} does not exist yet (the runner never creates bind sources: it cannot tell a file from a directory)");
            }
        }

        return new BindSourceCheck(refusals.ToImmutable(), missing.ToImmutable());
    }

    private static string? FindLink(string root, string source)
    {
        var current = root;
        foreach (var segment in source[(root.Length + 1)..].Split('/'))
        {
            current = current + "/" + segment;
            var info = new FileInfo(current);
            if (info.LinkTarget is not null)
            {
                return current;
            }

            if (!info.Exists && !Directory.Exists(current))
            {
                return null;
            }
        }

        return null;
    }
}
