using System.Globalization;
using System.Net;
using Cloud.ElasticsearchNode.Tests.Harness;
using Cloud.Testing;
using FluentAssertions;
using Xunit;

namespace Cloud.ElasticsearchNode.Tests.Cluster.Http;

/// <summary>
/// A node of a multi-node cluster that has not joined yet must not answer as if it knew the cluster:
/// the platform asks new nodes whether they joined (_cat/nodes) before routing clients to them.
/// </summary>
public sealed class StateNotRecoveredBlockTests
{
    [Fact]
    public async Task NodeThatNeverJoined_RefusesReadsAndNodeListsWith503_ButAnswersRootHealthAndLocal()
    {
        // A seed nobody listens on, and no initial masters: the node can neither find nor bootstrap a cluster.
        var nowhere = "127.0.0.1:" + FreePorts.Next().ToString(CultureInfo.InvariantCulture);
        await using var node = await InProcessNode.StartAsync(settings: new Dictionary<string, string>
        {
            ["discovery.seed_hosts"] = nowhere,
            ["transport.port"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
        });

        foreach (var path in new[] { "/orders/_count", "/orders/_search", "/orders/_doc/1", "/_cat/nodes", "/_cat/indices" })
        {
            var (status, body) = await node.GetAsync(path);
            status.Should().Be(HttpStatusCode.ServiceUnavailable, path);
            body!["error"]!["type"]!.GetValue<string>().Should().Be("cluster_block_exception", path);
        }

        (await node.GetAsync("/")).Status.Should().Be(HttpStatusCode.OK);
        (await node.GetAsync("/_cat/nodes?local=true")).Status.Should().Be(HttpStatusCode.OK);
        (await node.GetAsync("/_cluster/health?local=true")).Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task LoneNode_IsNeverBlocked()
    {
        await using var node = await InProcessNode.StartAsync();

        (await node.GetAsync("/_cat/nodes")).Status.Should().Be(HttpStatusCode.OK);
        (await node.GetAsync("/missing/_count")).Status.Should().Be(HttpStatusCode.NotFound, "a lone node knows its whole cluster");
    }
}
