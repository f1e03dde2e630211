using System.Collections.Immutable;

namespace Cloud.Constructor.Infrastructure;

/// <summary><c>GET .../allocators</c>.</summary>
public sealed record AllocatorList(ImmutableArray<AllocatorView> Allocators);
