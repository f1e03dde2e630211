using Cloud.Proxy.Routing;
using FluentAssertions;
using Xunit;

namespace Cloud.Proxy.Tests.Routing;

public sealed class ClusterIdResolverTests
{
    [Theory]
    [InlineData("", "abc.localhost:9200", "abc")]
    [InlineData("", "abc.localhost", "abc")]
    [InlineData("", "ABC.LocalHost:1", "ABC")]
    [InlineData("", "abc.localhost.", "abc")]
    [InlineData("", "localhost:9200", "")]
    [InlineData("", ".localhost", "")]
    [InlineData("", "a.b.localhost", "")]
    [InlineData("", "abc.example.com", "")]
    [InlineData("", "[::1]:9200", "")]
    [InlineData("xyz", "abc.localhost", "xyz")]
    [InlineData(" xyz ", "127.0.0.1:9200", "xyz")]
    public void Resolve_HostOrHeader_ClusterId(string header, string host, string expected)
    {
        new ClusterIdResolver("localhost").Resolve(header, host).ToString().Should().Be(expected);
    }

    [Fact]
    public void Resolve_ConfiguredDomain_UsesIt()
    {
        var resolver = new ClusterIdResolver("es.example.com");

        resolver.FromHost("c1.es.example.com:443").ToString().Should().Be("c1");
        resolver.FromHost("c1.localhost").ToString().Should().BeEmpty();
    }
}
