using Cloud.ElasticsearchNode.Engine;
using FluentAssertions;
using Xunit;

namespace Cloud.ElasticsearchNode.Tests.Engine;

public sealed class ShardRoutingTests
{
    // Known values from Elasticsearch's Murmur3HashFunctionTests.
    [Theory]
    [InlineData("hell", 0x5a0cb7c3)]
    [InlineData("hello", unchecked((int)0xd7c31989))]
    [InlineData("hello w", 0x22ab2984)]
    [InlineData("hello wo", unchecked((int)0xdf0ca123))]
    [InlineData("hello wor", unchecked((int)0xe7744d61))]
    [InlineData("The quick brown fox jumps over the lazy dog", unchecked((int)0xe07db09c))]
    [InlineData("The quick brown fox jumps over the lazy cog", 0x4e63d2ad)]
    public void Hash_KnownStrings_MatchesElasticsearch(string value, int expected) =>
        Murmur3.Hash(value).Should().Be(expected);

    [Theory]
    [InlineData(1, 1024)]
    [InlineData(2, 1024)]
    [InlineData(3, 768)]
    [InlineData(5, 640)]
    [InlineData(1024, 2048)]
    public void RoutingNumShards_DefaultSplitting_MatchesElasticsearch(int shards, int expected) =>
        ShardRouting.RoutingNumShards(shards).Should().Be(expected);

    [Fact]
    public void ShardFor_ManyIds_SpreadsOverEveryShardAndIsStable()
    {
        var shards = Enumerable.Range(0, 1000).Select(i => ShardRouting.ShardFor("doc-" + i, null, 5)).ToList();
        shards.Should().OnlyContain(s => s >= 0 && s < 5);
        shards.Distinct().Should().HaveCount(5);
        ShardRouting.ShardFor("doc-1", null, 5).Should().Be(shards[1]);
    }

    [Fact]
    public void ShardFor_Routing_WinsOverId()
    {
        var viaRouting = Enumerable.Range(0, 50).Select(i => ShardRouting.ShardFor("id-" + i, "user-7", 7)).Distinct();
        viaRouting.Should().ContainSingle();
    }
}
