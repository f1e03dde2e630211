using System.Text.RegularExpressions;

namespace Cloud.Runner.Policy;

/// <summary>
/// Docker's own rule for container names, <c>[a-zA-Z0-9][a-zA-Z0-9_.-]*</c>: every name Docker
/// accepts is accepted (<c>My-ES</c> included), and a name Docker would refuse is refused with a reason.
/// </summary>
internal static partial class ContainerNameRule
{
    /// <summary>Docker has no documented limit; this one keeps names inside what the engine and logs handle well.</summary>
    public const int MaxLength = 253;

    public static bool IsValid(string? name) => name is { Length: > 0 and <= MaxLength } && Pattern().IsMatch(name);

    public static string Describe(string name) =>
        $"container name '{name}' is refused: Docker takes 1-{MaxLength} characters of a-z, A-Z, 0-9, '_', '.', '-', starting with a letter or digit";

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
