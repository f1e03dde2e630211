using System.Collections.Immutable;
using Cloud.Runner.Docker;

namespace Cloud.Runner.Tests.Integration;

/// <summary>The real engine, except that listing the owned containers fails while <see cref="Broken"/> is set: a pass that fails on demand.</summary>
internal sealed class BreakableRuntime(IContainerRuntime engine) : IContainerRuntime
{
    private volatile bool _broken;

    public bool Broken
    {
        get => _broken;
        set => _broken = value;
    }

    public Task<ImmutableArray<RuntimeContainerState>> ListOwnedAsync(string ownerHostId, CancellationToken cancellationToken) =>
        _broken ? throw new IOException("scripted: the engine does not answer") : engine.ListOwnedAsync(ownerHostId, cancellationToken);

    public Task<RuntimeInfo> GetInfoAsync(CancellationToken cancellationToken) => engine.GetInfoAsync(cancellationToken);

    public Task<RuntimeContainerState?> InspectAsync(string nameOrId, CancellationToken cancellationToken) => engine.InspectAsync(nameOrId, cancellationToken);

    public Task<bool> ImageExistsAsync(string image, CancellationToken cancellationToken) => engine.ImageExistsAsync(image, cancellationToken);

    public Task<ImmutableArray<string>> ListImagesAsync(CancellationToken cancellationToken) => engine.ListImagesAsync(cancellationToken);

    public Task<string> CreateAsync(ContainerCreateRequest request, CancellationToken cancellationToken) => engine.CreateAsync(request, cancellationToken);

    public Task StartAsync(string id, CancellationToken cancellationToken) => engine.StartAsync(id, cancellationToken);

    public Task StopAsync(string id, CancellationToken cancellationToken) => engine.StopAsync(id, cancellationToken);

    public Task RemoveAsync(string id, CancellationToken cancellationToken) => engine.RemoveAsync(id, cancellationToken);

    public IAsyncEnumerable<RuntimeEvent> WatchAsync(string ownerHostId, CancellationToken cancellationToken) => engine.WatchAsync(ownerHostId, cancellationToken);
}
