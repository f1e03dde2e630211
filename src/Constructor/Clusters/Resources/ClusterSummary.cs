using System.Collections.Immutable;

namespace Cloud.Constructor.Clusters.Resources;

/// <summary><c>GET /api/v1/clusters/elasticsearch</c>.</summary>
public sealed record ClusterList(ImmutableArray<ClusterResource> ElasticsearchClusters, int ReturnCount);
