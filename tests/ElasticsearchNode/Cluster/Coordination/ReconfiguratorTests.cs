using System.Collections.Immutable;
using Cloud.ElasticsearchNode.Cluster.Coordination;
using Cloud.ElasticsearchNode.Tests.Cluster.Allocation;
using FluentAssertions;
using Xunit;

namespace Cloud.ElasticsearchNode.Tests.Cluster.Coordination;

public sealed class ReconfiguratorTests
{
    [Theory]
    [InlineData("a", "", "a", "a")]
    [InlineData("a,b", "", "a", "a")]
    [InlineData("a,b,c", "", "a", "a,b,c")]
    [InlineData("a,b,c,d", "", "a,b,c", "a,b,c")]
    [InlineData("a,b,c,d,e", "", "a,b,c", "a,b,c,d,e")]
    [InlineData("a,b", "", "a,b,c", "a,b,c")]
    [InlineData("a,b,c,d,e,f", "a,b,c", "a,b,c", "d,e,f")]
    [InlineData("a,b,c", "c", "a,b,c", "a")]
    [InlineData("a,b,c,d,e", "e", "a,b,c,d,e", "a,b,c")]
    public void Reconfigure_FollowsMembershipLikeElasticsearch(string live, string excluded, string current, string expected)
    {
        var nodes = live.Split(',').Select(n => States.Node(n, null) with { Id = n });
        var result = Reconfigurator.Reconfigure(nodes, excluded.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(), "a",
            current.Split(',').ToImmutableSortedSet(StringComparer.Ordinal));

        result.Should().BeEquivalentTo(expected.Split(','));
    }
}
