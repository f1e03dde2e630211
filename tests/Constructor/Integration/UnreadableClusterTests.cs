using System.Text;
using Cloud.Constructor.Tests.Support;
using Cloud.Shared.Coordination;
using Cloud.Testing;
using FluentAssertions;
using Xunit;

namespace Cloud.Constructor.Tests.Integration;

/// <summary>
/// A cluster record in ZooKeeper that does not parse (written by hand, or by a newer constructor) is that
/// cluster's problem: the real constructor process skips it and says so, and keeps leading. It used to end
/// the process, and a restarted constructor ended again on the same record.
/// </summary>
[Trait("Category", "Integration")]
public sealed class UnreadableClusterTests(EnrollmentFixture fixture) : IClassFixture<EnrollmentFixture>
{
    [Fact]
    public async Task Leader_ClusterRecordDoesNotParse_SkipsThatClusterAndKeepsServing()
    {
        var clusterId = "broken" + Guid.NewGuid().ToString("N")[..8];
        await using var super = fixture.ConnectAs(fixture.SuperUser.Digest);
        var client = await EnrollmentFixture.ClientAsync(super);
        await client.CreateRecursiveAsync(CloudPaths.Cluster(clusterId), null);
        await client.SetDataAsync(CloudPaths.Cluster(clusterId), Encoding.UTF8.GetBytes("{}"));
        await client.CreateAsync(CloudPaths.ClusterPlan(clusterId), Encoding.UTF8.GetBytes("{\"pending\":"));

        await Eventually.AssertAsync(
            () => Task.FromResult(fixture.Constructor.Process.Output.Any(line => line.Contains("is skipped: its record cannot be read", StringComparison.Ordinal) && line.Contains(clusterId, StringComparison.Ordinal))),
            TimeSpan.FromSeconds(60),
            "the leader to report the unreadable cluster");

        fixture.Constructor.Process.HasExited.Should().BeFalse(string.Join('\n', fixture.Constructor.Process.Output.TakeLast(20)));
        using var health = await fixture.Api.GetAsync(new Uri("/health", UriKind.Relative));
        health.IsSuccessStatusCode.Should().BeTrue();

        // The API names the broken record where it is asked for, and lists the other clusters without it.
        var (status, body) = await fixture.GetAsync("/api/v1/clusters/elasticsearch/" + clusterId);
        status.Should().Be(500, body.ToString());
        var error = body.GetProperty("errors")[0];
        error.GetProperty("code").GetString().Should().Be("cluster.unreadable");
        error.GetProperty("message").GetString().Should().Contain(clusterId);
        var (listed, list) = await fixture.GetAsync("/api/v1/clusters/elasticsearch");
        listed.Should().Be(200, list.ToString());
        list.GetProperty("elasticsearch_clusters").EnumerateArray().Select(c => c.GetProperty("cluster_id").GetString()).Should().NotContain(clusterId);
    }
}
