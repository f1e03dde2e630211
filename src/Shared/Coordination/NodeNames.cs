using System.Text.RegularExpressions;

namespace Cloud.Shared.Coordination;

/// <summary>
/// Ids that become ZooKeeper node names and Docker container names: lowercase letters, digits,
/// dots, dashes and underscores, starting with a letter or digit; nothing that could escape a path.
/// </summary>
public static partial class NodeNames
{
    public static bool IsValid(string? name) => name is { Length: > 0 and <= 128 } && Pattern().IsMatch(name);

    public static void EnsureValid(string name, string what = "name")
    {
        if (!IsValid(name))
        {
            throw new ArgumentException($"Invalid {what} '{name}': use 1-128 characters of a-z, 0-9, '.', '-', '_', starting with a letter or digit.", what);
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*$")]
    private static partial Regex Pattern();
}
