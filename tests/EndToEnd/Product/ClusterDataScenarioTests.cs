using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Cloud.EndToEnd.Tests.Platform;
using Cloud.Testing;
using FluentAssertions;
using Xunit;
using Xunit.Abstractions;

namespace Cloud.EndToEnd.Tests.Product;

/// <summary>
/// The promises about data (issue 19) on three-zone clusters, through the proxy. The scenarios that
/// change a cluster under load are in <see cref="PlanUnderLoadScenarioTests"/>.
/// </summary>
[Collection(PlatformCollection.Name)]
[Trait("Category", "Integration")]
[TestCaseOrderer(ScenarioOrderer.TypeName, ScenarioOrderer.AssemblyName)]
public sealed class ClusterDataScenarioTests(PlatformFixture fixture, ITestOutputHelper output) : ScenarioBase(fixture, output)
{
    [Fact]
    [Scenario(Order = 1)]
    public async Task CreateCluster_ThreeZones_TurnsHealthyAndServesBulkCountAndSearchThroughTheProxy()
    {
        var clusterId = await Fixture.CreateHealthyClusterAsync("e2e-basic", Plans.ThreeZones());
        var cluster = (await Api.GetClusterAsync(clusterId)).Body;
        var instances = cluster["topology"]!["instances"]!.AsArray();
        instances.Select(i => i!["zone"]!.GetValue<string>()).Should().BeEquivalentTo(["zone-1", "zone-2", "zone-3"]);
        instances.Should().OnlyContain(i => i!["container_state"]!.GetValue<string>() == "running");

        using var client = new ClusterClient(Platform.ProxyPort, clusterId);
        await client.BulkIndexAsync("books", 0, 1000);
        (await client.CountAsync("books")).Should().Be(1000);
        var search = await client.SendAsync(HttpMethod.Post, "/books/_search", "{\"query\":{\"match\":{\"tag\":\"even\"}},\"size\":3}");
        search.EnsureOk();
        search.Json["hits"]!["total"]!["value"]!.GetValue<long>().Should().Be(500);
        search.HandlingInstance.Should().NotBeNullOrEmpty();

        using var byHost = new ClusterClient(Platform.ProxyPort, clusterId, useHostName: true);
        (await byHost.CountAsync("books")).Should().Be(1000);
    }
}
