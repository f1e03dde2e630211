using System.Collections.Immutable;
using Cloud.Shared.Routing;

namespace Cloud.Constructor.Routing;

/// <summary><c>GET .../routing</c>: the instances, the routing table the constructor wrote, and the overrides.</summary>
public sealed record RoutingView(string ClusterId, ImmutableArray<RoutingInstanceView> Instances, RoutingTable? RoutingTable, ImmutableArray<OverrideView> Overrides);
