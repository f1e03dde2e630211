using System.Net;
using Cloud.Proxy.Filtering;
using FluentAssertions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Xunit;

namespace Cloud.Proxy.Tests.Filtering;

public sealed class ClientAddressResolverTests
{
    private static readonly ClientAddressResolver Resolver = new(Options.Create(new ProxyOptions { TrustedProxies = ["10.0.0.0/8", "::1"] }));

    private static string? Resolve(string peer, string? forwardedFor)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(peer);
        if (forwardedFor is not null)
        {
            context.Request.Headers[ClientAddressResolver.ForwardedFor] = forwardedFor;
        }

        return Resolver.Resolve(context)?.ToString();
    }

    [Theory]
    [InlineData("203.0.113.5", "1.2.3.4", "203.0.113.5")]
    [InlineData("10.1.1.1", null, "10.1.1.1")]
    [InlineData("10.1.1.1", "1.2.3.4", "1.2.3.4")]
    [InlineData("10.1.1.1", "6.6.6.6, 1.2.3.4, 10.2.2.2", "1.2.3.4")]
    [InlineData("::1", "1.2.3.4", "1.2.3.4")]
    [InlineData("::ffff:10.1.1.1", "1.2.3.4", "1.2.3.4")]
    [InlineData("10.1.1.1", "garbage, 10.2.2.2", "10.2.2.2")]
    public void Resolve_ForwardedForOnlyFromTrustedPeers(string peer, string? forwardedFor, string expected)
    {
        Resolve(peer, forwardedFor).Should().Be(expected);
    }

    [Fact]
    public void Constructor_InvalidTrustedProxy_ClearError()
    {
        var act = () => new ClientAddressResolver(Options.Create(new ProxyOptions { TrustedProxies = ["ten.0.0.0/8"] }));

        act.Should().Throw<OptionsValidationException>().WithMessage("*ten.0.0.0/8*");
    }
}
