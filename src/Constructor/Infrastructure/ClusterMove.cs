using System.Collections.Immutable;

namespace Cloud.Constructor.Infrastructure;

/// <summary>One cluster's move off a vacated allocator.</summary>
public sealed record ClusterMove(string ClusterId, string PlanId, ImmutableArray<string> Instances);
