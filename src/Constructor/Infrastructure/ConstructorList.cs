using System.Collections.Immutable;

namespace Cloud.Constructor.Infrastructure;

/// <summary><c>GET /api/v1/platform/infrastructure/constructors</c>, as Elastic Cloud Enterprise lists them.</summary>
public sealed record ConstructorList(ImmutableArray<ConstructorView> Constructors);
