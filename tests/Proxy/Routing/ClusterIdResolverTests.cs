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
    [InlineData("xyz,xyz", "abc.localhost", "xyz")]
    [InlineData("xyz, xyz ,xyz", "127.0.0.1", "xyz")]
    [InlineData(", xyz", "127.0.0.1", "xyz")]
    [InlineData(" , ", "abc.localhost", "abc")]
    public void Resolve_HostOrHeader_ClusterId(string header, string host, string expected)
    {
        var id = new ClusterIdResolver("localhost").Resolve(header, host, out var conflicting);

        id.ToString().Should().Be(expected);
        conflicting.Should().BeFalse();
    }

    [Theory]
    [InlineData("xyz,abc")]
    [InlineData("xyz, XYZ")]
    public void Resolve_HeaderRepeatedWithDifferentIds_Conflicting(string header)
    {
        var id = new ClusterIdResolver("localhost").Resolve(header, "abc.localhost", out var conflicting);

        id.IsEmpty.Should().BeTrue();
        conflicting.Should().BeTrue();
    }

    [Fact]
    public void Resolve_ConfiguredDomain_UsesIt()
    {
        var resolver = new ClusterIdResolver("es.example.com");

        resolver.FromHost("c1.es.example.com:443").ToString().Should().Be("c1");
        resolver.FromHost("c1.localhost").ToString().Should().BeEmpty();
    }
}
