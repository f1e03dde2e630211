using System.Diagnostics;
using Cloud.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;

namespace Cloud.Proxy.Benchmarks;

/// <summary>
/// The design issue 17 asked to measure beside ours: YARP's own routing, with one route per cluster matched by
/// its <c>Host</c> name and the whole table from an <see cref="IProxyConfigProvider"/> (YARP's in-memory one),
/// replaced as a snapshot on every change. Headers are copied as ours copies them (no X-Forwarded-*). Only the
/// forwarding core is compared: overrides, filters and zone preference have no equivalent here.
/// </summary>
internal sealed class YarpConfigProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly InMemoryConfigProvider _config;

    private YarpConfigProxy(WebApplication app, InMemoryConfigProvider config, int port)
    {
        _app = app;
        _config = config;
        Port = port;
    }

    public int Port { get; }

    public static async Task<YarpConfigProxy> StartAsync(IReadOnlyDictionary<string, int> backendPortByCluster)
    {
        var port = FreePorts.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}").ConfigureKestrel(k => k.AddServerHeader = false);
        var (routes, clusters) = Table(backendPortByCluster);
        builder.Services.AddReverseProxy().LoadFromMemory(routes, clusters).AddTransforms(context => context.UseDefaultForwarders = false);
        var app = builder.Build();
        app.MapReverseProxy();
        await app.StartAsync();
        return new YarpConfigProxy(app, app.Services.GetRequiredService<InMemoryConfigProvider>(), port);
    }

    /// <summary>Replaces the whole table, as a provider does on any change; returns how long the call took.</summary>
    public TimeSpan Update(IReadOnlyDictionary<string, int> backendPortByCluster)
    {
        var (routes, clusters) = Table(backendPortByCluster);
        var started = Stopwatch.GetTimestamp();
        _config.Update(routes, clusters);
        return Stopwatch.GetElapsedTime(started);
    }

    private static (IReadOnlyList<RouteConfig> Routes, IReadOnlyList<ClusterConfig> Clusters) Table(IReadOnlyDictionary<string, int> backendPortByCluster)
    {
        var routes = new List<RouteConfig>(backendPortByCluster.Count);
        var clusters = new List<ClusterConfig>(backendPortByCluster.Count);
        foreach (var (clusterId, backendPort) in backendPortByCluster)
        {
            routes.Add(new RouteConfig { RouteId = clusterId, ClusterId = clusterId, Match = new RouteMatch { Hosts = [$"{clusterId}.localhost"], Path = "{**rest}" } });
            clusters.Add(new ClusterConfig
            {
                ClusterId = clusterId,
                Destinations = new Dictionary<string, DestinationConfig>(StringComparer.Ordinal) { ["instance-0"] = new() { Address = $"http://127.0.0.1:{backendPort}" } },
            });
        }

        return (routes, clusters);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
