using Microsoft.Extensions.Hosting;

namespace Cloud.ElasticsearchNode.Cluster;

/// <summary>Joins the cluster when the host starts and leaves it (transport closed) when the host stops.</summary>
internal sealed class ClusterMembershipService(ClusterNode node) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        node.Join();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await node.DisposeAsync();
}
