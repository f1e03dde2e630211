using System.Reflection;
using Cloud.Shared.Coordination;
using Cloud.Shared.Hosting;
using Cloud.Shared.Routing;
using Cloud.Shared.Serialization;
using Cloud.ZooKeeper.Recipes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Proxy.Registration;

/// <summary>
/// Holds <c>/cloud/proxies/&lt;proxy_id&gt;</c> (ephemeral) while the proxy runs, re-created in every new
/// session; it says where the proxy listens once Kestrel is up.
/// </summary>
internal sealed partial class ProxyRegistrar : BackgroundService
{
    private readonly ZooKeeperConnection _connection;
    private readonly IServer _server;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly TimeProvider _time;
    private readonly ProxyOptions _options;
    private readonly ILogger<ProxyRegistrar> _logger;

    public ProxyRegistrar(ZooKeeperConnection connection, IServer server, IHostApplicationLifetime lifetime, TimeProvider time, IOptions<ProxyOptions> options, ILogger<ProxyRegistrar> logger)
    {
        _connection = connection;
        _server = server;
        _lifetime = lifetime;
        _time = time;
        _options = options.Value;
        _logger = logger;
    }

    public string ProxyId => string.IsNullOrEmpty(_options.ProxyId) ? Environment.MachineName.ToLowerInvariant() : _options.ProxyId;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await WaitForStartAsync(stoppingToken);
            var client = await _connection.GetClientAsync(stoppingToken);
            var registration = new ProxyRegistration
            {
                ProxyId = ProxyId,
                Host = Environment.MachineName,
                Zone = _options.Zone,
                Domain = _options.Domain,
                Urls = [.. _server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []],
                Version = typeof(ProxyRegistrar).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion,
                StartedAt = _time.GetUtcNow(),
            };
            var path = CloudPaths.Proxy(ProxyId);
            await using var node = new EphemeralRegistration(client, path, _logger);
            await node.StartAsync(CloudJson.Serialize(registration), stoppingToken);
            LogRegistered(path);
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        return started.Task.WaitAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered at {Path}")]
    private partial void LogRegistered(string path);
}
