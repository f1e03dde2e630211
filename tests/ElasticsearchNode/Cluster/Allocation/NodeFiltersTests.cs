using Cloud.ElasticsearchNode.Cluster.Allocation;
using FluentAssertions;
using Xunit;

namespace Cloud.ElasticsearchNode.Tests.Cluster.Allocation;

public sealed class NodeFiltersTests
{
    [Theory]
    [InlineData("node-1", "node-1", true)]
    [InlineData("node-*", "node-12", true)]
    [InlineData("*-1", "node-1", true)]
    [InlineData("n*e*1", "node-1", true)]
    [InlineData("node-1", "node-12", false)]
    [InlineData("a*b*c", "abab", false)]
    [InlineData("ab*ba", "aba", false)]
    public void Wildcard_Matches_AsElasticsearchPatterns(string pattern, string value, bool expected) =>
        Wildcard.Matches(pattern, value).Should().Be(expected);

    [Fact]
    public void Refusal_AllThreeKinds_ApplyTogether()
    {
        var settings = new Dictionary<string, string>
        {
            ["cluster.routing.allocation.require.zone"] = "z1,z2",
            ["cluster.routing.allocation.include._name"] = "a,b",
            ["cluster.routing.allocation.exclude._name"] = "b",
        };
        var filters = NodeFilters.From("cluster.routing.allocation.", k => settings.GetValueOrDefault(k), settings.Keys);

        filters.Refusal(States.Node("a", "z1"), "cluster").Should().BeNull();
        filters.Refusal(States.Node("b", "z1"), "cluster").Should().Contain("exclude._name");
        filters.Refusal(States.Node("c", "z2"), "cluster").Should().Contain("include");
        filters.Refusal(States.Node("a", "z3"), "cluster").Should().Contain("require.zone");
    }
}
