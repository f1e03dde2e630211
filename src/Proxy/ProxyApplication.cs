using Cloud.Proxy.FastPath;
using Cloud.Shared.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Proxy;

/// <summary>Builds the proxy role's process (Program and the in-process test host share it).</summary>
public static class ProxyApplication
{
    /// <summary>
    /// Defaults of the proxy's process, given before the caller's arguments so those still win: no per-request
    /// ASP.NET Core/HttpClient traces, log events or framework metrics for forwarded traffic (the proxy counts
    /// it with its own <c>Cloud.Proxy</c> instruments; see the benchmark figures in the README). The hosting
    /// diagnostics logger is off too: while it is enabled at any level (Critical included), ASP.NET Core starts an
    /// Activity and a log scope for every request even with no trace listener; it only ever logs request
    /// start/finish lines, at Information, which the proxy never wanted.
    /// </summary>
    private static readonly string[] Defaults =
    [
        "--Telemetry:HttpInstrumentation=false",
        "--Serilog:MinimumLevel:Override:Microsoft.AspNetCore.Hosting.Diagnostics=Off",
    ];

    public static WebApplication Build(string[] args)
    {
        var builder = CloudHost.CreateBuilder("proxy", [.. Defaults, .. args], DefaultUrls.Proxy);
        builder.Services.AddCloudProxy(builder.Configuration);
        var proxyOptions = builder.Configuration.GetSection(ProxyOptions.Section).Get<ProxyOptions>() ?? new ProxyOptions();
        if (proxyOptions.InlineSocketCompletions)
        {
            // Read once, when the process's first socket is used (the host has opened none yet): in a process that
            // already used sockets (a test host) only Kestrel's and the instance connections' scheduling changes.
            Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
            builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
        }

        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            var options = context.Configuration.GetSection(ProxyOptions.Section).Get<ProxyOptions>() ?? new ProxyOptions();
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestHeadersTotalSize = options.MaxRequestHeadersBytes;

            // Bodies stream through (a 100 MB _bulk is never buffered), so the proxy sets no body limit of its own.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Limits.MinResponseDataRate = null;

            // Every endpoint, --urls ones included, first offers its connections to the fast path, which hands a
            // connection to Kestrel's HTTP stack (and YARP) from the first request it does not take.
            kestrel.ConfigureEndpointDefaults(listen => listen.Use(listen.ApplicationServices.GetRequiredService<FastForwarder>().Middleware));
        });
        var app = builder.Build();
        app.UseCloudProxy();
        return app;
    }
}
