using System.Collections.Immutable;
using Cloud.ElasticsearchNode.Cluster.State;
using Cloud.ElasticsearchNode.Cluster.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cloud.ElasticsearchNode.Tests.Cluster.Coordination;

/// <summary>
/// A scripted peer on a real transport (loopback, a free port): the test registers the handlers it needs
/// and sends coordination messages itself, so a race between a real node's rounds can be staged exactly.
/// </summary>
internal sealed class FakePeer : IAsyncDisposable
{
    public FakePeer(string name, string clusterName)
    {
        var id = "fake-" + name;
        Transport = new TransportService(new TransportOptions { BindHost = "127.0.0.1", Port = 0 },
            () => new TransportHandshake(clusterName, null, id, name), NullLogger.Instance);
        Transport.Start();
        Node = new DiscoveryNode(id, name, TransportAddress.Format("127.0.0.1", Transport.BoundPort), null, "127.0.0.1",
            ["data", "master"], ImmutableSortedDictionary<string, string>.Empty);
    }

    public TransportService Transport { get; }

    public DiscoveryNode Node { get; }

    public ValueTask DisposeAsync() => Transport.DisposeAsync();
}
