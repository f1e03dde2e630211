using System.Collections.Immutable;
using Cloud.Shared.Containers;

namespace Cloud.Runner.Policy;

/// <summary>
/// The file-system half of the bind-mount rule, checked right before a container is created: every
/// path component below the data root must be a real directory (or, last, a file), never a symbolic
/// link a compromised container could have planted to point elsewhere; missing directories are created.
/// </summary>
internal static class BindSourceGuard
{
    /// <summary>Creates missing bind sources as directories; returns why a bind is refused, if any.</summary>
    public static ImmutableArray<string> Prepare(ContainerSpec spec, string dataRoot)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var errors = ImmutableArray.CreateBuilder<string>();
        var root = DataRootPaths.Normalize(dataRoot);
        foreach (var bind in spec.HostConfig?.Binds ?? [])
        {
            if (BindMount.TryParse(bind) is not { } mount || !DataRootPaths.IsStrictlyUnder(mount.Source, root))
            {
                errors.Add($"HostConfig.Binds entry '{bind}' is refused: bind mounts must stay under the data root {dataRoot}");
                continue;
            }

            if (FindLink(root, DataRootPaths.Normalize(mount.Source)) is { } link)
            {
                errors.Add($"HostConfig.Binds entry '{bind}' is refused: {link} is a symbolic link, and bind sources must be real paths under the data root {dataRoot}");
                continue;
            }

            if (!Path.Exists(mount.Source))
            {
                Directory.CreateDirectory(mount.Source);
            }
        }

        return errors.ToImmutable();
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
