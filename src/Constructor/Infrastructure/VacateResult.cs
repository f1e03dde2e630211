using System.Collections.Immutable;
using Cloud.Constructor.Api;

namespace Cloud.Constructor.Infrastructure;

/// <summary><c>.../clusters/_move</c>: the plans started, and clusters that could not be moved.</summary>
public sealed record VacateResult(string AllocatorId, ImmutableArray<ClusterMove> Moves, ImmutableArray<ApiError> Errors);
