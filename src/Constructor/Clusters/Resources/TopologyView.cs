using System.Collections.Immutable;

namespace Cloud.Constructor.Clusters.Resources;

public sealed record TopologyView(ImmutableArray<InstanceView> Instances);
