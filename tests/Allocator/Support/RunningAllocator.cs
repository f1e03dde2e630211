using Cloud.Allocator.Assignments;
using Cloud.Allocator.Configuration;
using Cloud.ZooKeeper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Cloud.Allocator.Tests.Support;

/// <summary>
/// The allocator's real services, composed as Program.cs composes them, around a ZooKeeper session of
/// its own; stopping it is what a process exit does (the session closes, the ephemeral node goes).
/// </summary>
internal sealed class RunningAllocator : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly IHostedService[] _hosted;
    private bool _stopped;

    private RunningAllocator(ServiceProvider services, ZooKeeperClient client)
    {
        _services = services;
        Client = client;
        _hosted = [.. services.GetServices<IHostedService>()];
    }

    public ZooKeeperClient Client { get; }

    public ResolvedAllocatorOptions Settings => _services.GetRequiredService<ResolvedAllocatorOptions>();

    public AllocatorReconciler Reconciler => _services.GetRequiredService<AllocatorReconciler>();

    public static async Task<RunningAllocator> StartAsync(string connectString, IReadOnlyDictionary<string, string?> allocatorOptions, ITestOutputHelper output, TimeSpan? sessionTimeout = null)
    {
        var client = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = connectString, SessionTimeout = sessionTimeout ?? TimeSpan.FromSeconds(4) });
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(allocatorOptions.Select(kv => KeyValuePair.Create("Allocator:" + kv.Key, kv.Value)))
            .Build();
        var services = new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(new XunitLoggerProvider(output, allocatorOptions["AllocatorId"] ?? "allocator")))
            .AddSingleton<Coordination.IZooKeeperClientSource>(new FixedClientSource(client))
            .AddAllocator(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        var allocator = new RunningAllocator(services, client);
        foreach (var hosted in allocator._hosted)
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        return allocator;
    }

    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        foreach (var hosted in _hosted.Reverse())
        {
            await hosted.StopAsync(CancellationToken.None);
        }

        await _services.DisposeAsync();
        await Client.DisposeAsync();
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}
