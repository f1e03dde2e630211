using System.Collections.Immutable;

namespace Cloud.Constructor.Plans;

/// <summary>Only allocators carrying every one of these tags (key and value) get the element's instances.</summary>
public sealed record AllocatorFilterSpec
{
    public ImmutableSortedDictionary<string, string>? Tags { get; init; }
}
