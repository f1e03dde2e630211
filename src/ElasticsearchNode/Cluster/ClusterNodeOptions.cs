using System.Collections.Immutable;
using Cloud.ElasticsearchNode.Cluster.Coordination;
using Cloud.ElasticsearchNode.Cluster.Transport;

namespace Cloud.ElasticsearchNode.Cluster;

/// <summary>Everything one node needs to take part in the cluster, read from the image's settings by <see cref="ClusterNodeSettings"/>.</summary>
internal sealed class ClusterNodeOptions
{
    public required string NodeName { get; init; }

    public required string ClusterName { get; init; }

    public required string DataPath { get; init; }

    public ImmutableSortedSet<string> Roles { get; init; } = ["data", "ingest", "master"];

    public ImmutableSortedDictionary<string, string> Attributes { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>Host others dial (<c>network.publish_host</c>).</summary>
    public string PublishHost { get; init; } = "127.0.0.1";

    /// <summary>Port others dial (<c>transport.publish_port</c>); 0 means the bound port.</summary>
    public int PublishPort { get; init; }

    public string? HttpPublishAddress { get; init; }

    public TransportOptions Transport { get; init; } = new();

    public CoordinationOptions Coordination { get; init; } = new();
}
