using Cloud.Runner.Docker;
using Cloud.Runner.Hosting;
using Cloud.Shared.Coordination;
using Cloud.Shared.Serialization;
using Cloud.ZooKeeper;
using Cloud.ZooKeeper.Recipes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Runner.Registration;

/// <summary>
/// Advertises the runner at <c>/cloud/runners/&lt;host_id&gt;</c> (ephemeral, so it disappears with the
/// session) with the engine's version and the host's facts. The recipe re-creates it after expiry.
/// </summary>
internal sealed partial class RunnerRegistrar(
    IContainerRuntime runtime,
    IOptions<RunnerOptions> options,
    TimeProvider timeProvider,
    ILoggerFactory loggerFactory)
{
    private readonly RunnerOptions _options = options.Value;
    private readonly ILogger _logger = loggerFactory.CreateLogger<RunnerRegistrar>();

    public async Task<EphemeralRegistration> RegisterAsync(ZooKeeperClient client, CancellationToken cancellationToken)
    {
        RuntimeInfo? engine = null;
        try
        {
            engine = await runtime.GetInfoAsync(cancellationToken);
        }
        catch (ContainerRuntimeException ex)
        {
            LogEngineUnavailable(ex.Message);
        }

        var registration = RunnerRegistrationFactory.Create(_options.HostId, _options.DataRoot, engine, timeProvider.GetUtcNow());
        var node = new EphemeralRegistration(client, CloudPaths.Runner(_options.HostId), loggerFactory.CreateLogger<EphemeralRegistration>());
        await node.StartAsync(CloudJson.Serialize(registration), cancellationToken);
        LogRegistered(_options.HostId, registration.DockerVersion);
        return node;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Docker is not answering ({Reason}); registering without its facts")]
    private partial void LogEngineUnavailable(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Runner of host {HostId} registered (Docker {DockerVersion})")]
    private partial void LogRegistered(string hostId, string? dockerVersion);
}
