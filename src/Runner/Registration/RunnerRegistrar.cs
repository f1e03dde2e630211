using System.Collections.Immutable;
using Cloud.Runner.Docker;
using Cloud.Runner.Hosting;
using Cloud.Shared.Containers;
using Cloud.Shared.Coordination;
using Cloud.Shared.Serialization;
using Cloud.ZooKeeper;
using Cloud.ZooKeeper.Recipes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Runner.Registration;

/// <summary>
/// Advertises the runner at <c>/cloud/runners/&lt;host_id&gt;</c> (ephemeral, so it disappears with the
/// session) with the engine's version, the host's facts and its images. The recipe re-creates it after
/// expiry; <see cref="RefreshAsync"/> rewrites it when the host's images change.
/// </summary>
internal sealed partial class RunnerRegistrar(
    IContainerRuntime runtime,
    IOptions<RunnerOptions> options,
    TimeProvider timeProvider,
    ILoggerFactory loggerFactory)
{
    private readonly RunnerOptions _options = options.Value;
    private readonly ILogger _logger = loggerFactory.CreateLogger<RunnerRegistrar>();
    private RunnerRegistration? _published;

    public async Task<EphemeralRegistration> RegisterAsync(ZooKeeperClient client, CancellationToken cancellationToken)
    {
        RuntimeInfo? engine = null;
        ImmutableArray<string>? images = null;
        try
        {
            engine = await runtime.GetInfoAsync(cancellationToken);
            images = await runtime.ListImagesAsync(cancellationToken);
        }
        catch (ContainerRuntimeException ex)
        {
            LogEngineUnavailable(ex.Message);
        }

        var registration = RunnerRegistrationFactory.Create(_options.HostId, _options.DataRoot, engine, images, timeProvider.GetUtcNow());
        var node = new EphemeralRegistration(client, CloudPaths.Runner(_options.HostId), loggerFactory.CreateLogger<EphemeralRegistration>());
        await node.StartAsync(CloudJson.Serialize(registration), cancellationToken);
        _published = registration;
        LogRegistered(_options.HostId, registration.DockerVersion);
        return node;
    }

    /// <summary>Re-reads the host's images and rewrites the liveness node when they changed (built or removed since).</summary>
    public async Task RefreshAsync(EphemeralRegistration node, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (_published is not { } published || !node.IsRegistered)
        {
            return;
        }

        var images = await runtime.ListImagesAsync(cancellationToken);
        if (published.Images is { } known && known.SequenceEqual(images, StringComparer.Ordinal))
        {
            return;
        }

        var registration = published with { Images = images };
        await node.UpdateAsync(CloudJson.Serialize(registration), cancellationToken);
        _published = registration;
        LogImagesChanged(images.Length);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Docker is not answering ({Reason}); registering without its facts")]
    private partial void LogEngineUnavailable(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Runner of host {HostId} registered (Docker {DockerVersion})")]
    private partial void LogRegistered(string hostId, string? dockerVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "The host's images changed: {Count} now advertised")]
    private partial void LogImagesChanged(int count);
}
