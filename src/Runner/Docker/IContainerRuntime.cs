using System.Collections.Immutable;

namespace Cloud.Runner.Docker;

/// <summary>
/// The local container engine as the runner needs it. The Docker implementation is the only place
/// Docker's own types appear; everything else talks in <see cref="RuntimeContainerState"/>.
/// </summary>
internal interface IContainerRuntime
{
    Task<RuntimeInfo> GetInfoAsync(CancellationToken cancellationToken);

    /// <summary>Every container (running or not) labelled as owned by <paramref name="ownerHostId"/>, inspected.</summary>
    Task<ImmutableArray<RuntimeContainerState>> ListOwnedAsync(string ownerHostId, CancellationToken cancellationToken);

    /// <summary>The container of that name or id, whoever owns it; null when there is none.</summary>
    Task<RuntimeContainerState?> InspectAsync(string nameOrId, CancellationToken cancellationToken);

    /// <summary>Whether the image is present on this host (nothing can be pulled: no registry is assumed).</summary>
    Task<bool> ImageExistsAsync(string image, CancellationToken cancellationToken);

    /// <summary>Every image reference (<c>repository:tag</c>) present on this host, sorted.</summary>
    Task<ImmutableArray<string>> ListImagesAsync(CancellationToken cancellationToken);

    /// <summary>Creates (does not start) a container; returns its id.</summary>
    /// <exception cref="ContainerNameConflictException">A container of that name exists.</exception>
    Task<string> CreateAsync(ContainerCreateRequest request, CancellationToken cancellationToken);

    Task StartAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Stops gracefully: the container's stop signal (SIGTERM unless its definition says otherwise),
    /// then a kill once its stop timeout has passed. A container that is not running is left as it is.
    /// </summary>
    Task StopAsync(string id, CancellationToken cancellationToken);

    /// <summary>Removes a stopped container (and its anonymous volumes); a missing one is not an error.</summary>
    Task RemoveAsync(string id, CancellationToken cancellationToken);

    /// <summary>Container events for one owner, until cancelled or the stream breaks (then it throws).</summary>
    IAsyncEnumerable<RuntimeEvent> WatchAsync(string ownerHostId, CancellationToken cancellationToken);
}
