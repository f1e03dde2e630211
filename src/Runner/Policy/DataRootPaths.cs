namespace Cloud.Runner.Policy;

/// <summary>Lexical rules for host paths under the runner's data root (no file system access).</summary>
internal static class DataRootPaths
{
    /// <summary>
    /// True when <paramref name="path"/> is absolute, has no <c>..</c> or <c>.</c> segments, and names
    /// something strictly below <paramref name="dataRoot"/> (the root itself holds every container's data).
    /// </summary>
    public static bool IsStrictlyUnder(string path, string dataRoot)
    {
        if (!path.StartsWith('/') || path.Contains('\0', StringComparison.Ordinal))
        {
            return false;
        }

        if (path.Split('/').Any(segment => segment is ".." or "."))
        {
            return false;
        }

        var root = Normalize(dataRoot);
        var candidate = Normalize(path);
        return candidate.Length > root.Length + 1
            && candidate.StartsWith(root + "/", StringComparison.Ordinal);
    }

    /// <summary>An absolute path without duplicate or trailing slashes.</summary>
    public static string Normalize(string path)
    {
        var full = Path.GetFullPath(path);
        return full.Length > 1 ? full.TrimEnd('/') : full;
    }
}
