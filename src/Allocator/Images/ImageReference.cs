using System.Text.RegularExpressions;

namespace Cloud.Allocator.Images;

/// <summary>Docker's grammar for image references (<c>[registry[:port]/]path[:tag][@digest]</c>) and tags.</summary>
internal static partial class ImageReference
{
    public static bool IsValid(string? reference) =>
        reference is { Length: > 0 and <= 512 } && Reference().Match(reference) is { Success: true } match && match.Groups["name"].Length <= 255;

    public static bool IsValidTag(string? tag) => tag is not null && Tag().IsMatch(tag);

    /// <summary>The reference as the engine lists it: <c>:latest</c> added when there is neither tag nor digest.</summary>
    public static string Normalize(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var match = Reference().Match(reference);
        return match.Success && !match.Groups["tag"].Success && !match.Groups["digest"].Success ? reference + ":latest" : reference;
    }

    /// <summary>True when the reference pins a digest: the engine's tag list cannot tell whether it is present.</summary>
    public static bool HasDigest(string reference) => Reference().Match(reference).Groups["digest"].Success;

    [GeneratedRegex(
        @"^(?<name>(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::(?<tag>[\w][\w.-]{0,127}))?(?:@(?<digest>[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$",
        RegexOptions.CultureInvariant)]
    private static partial Regex Reference();

    [GeneratedRegex(@"^[\w][\w.-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex Tag();
}
