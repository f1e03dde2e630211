using FluentAssertions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Cloud.Proxy.Tests.Integration;

/// <summary>What the proxy's request path must not do, checked on the real proxy host.</summary>
[Collection(ProxyIntegrationCollection.Name)]
[Trait("Category", "Integration")]
public sealed class HotPathTests(ProxyFixture fixture)
{
    /// <summary>
    /// ASP.NET Core's hosting starts an Activity (W3C ids, Activity.Current set and restored) and a log scope for
    /// every request whenever its <c>Microsoft.AspNetCore.Hosting.Diagnostics</c> logger is enabled at any level,
    /// Critical included, even with no trace listener; the proxy turns that logger off. (Serilog's logger is
    /// process-wide, and a disposed host silences it for the others, so only the configured override and the
    /// disabled category are asserted here, not which other categories are on.)
    /// </summary>
    [Fact]
    public void HostingDiagnosticsLogger_IsOff_SoNoActivityOrLogScopePerRequest()
    {
        var services = fixture.Proxy.Services;

        services.GetRequiredService<IConfiguration>()["Serilog:MinimumLevel:Override:Microsoft.AspNetCore.Hosting.Diagnostics"].Should().Be("Off");
        services.GetRequiredService<ILoggerFactory>().CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Critical).Should().BeFalse();
    }
}
