using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Cloud.Runner.Hosting;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Options;

namespace Cloud.Runner.Docker;

/// <summary><see cref="IContainerRuntime"/> on the local Docker Engine, through Docker.DotNet.</summary>
internal sealed class DockerContainerRuntime : IContainerRuntime, IDisposable
{
    private readonly DockerClient _client;
    private readonly TimeSpan _callTimeout;

    public DockerContainerRuntime(IOptions<RunnerOptions> options)
    {
        var value = options.Value;
        _callTimeout = value.DockerCallTimeout;

        // The client-wide timeout only bounds graceful stops (the container's own grace period);
        // every other call has the much shorter DockerCallTimeout, so a wedged engine fails a pass
        // instead of stalling it.
        _client = new DockerClientBuilder()
            .WithEndpoint(new Uri(value.DockerEndpoint))
            .WithApiVersion(System.Version.Parse(value.DockerApiVersion))
            .WithTimeout(TimeSpan.FromMinutes(15))
            .Build();
    }

    public async Task<RuntimeInfo> GetInfoAsync(CancellationToken cancellationToken)
    {
        var version = await CallAsync(token => _client.System.GetVersionAsync(token), "read the engine version", cancellationToken);
        var info = await CallAsync(token => _client.System.GetSystemInfoAsync(token), "read the engine info", cancellationToken);
        return new RuntimeInfo(version.Version, version.APIVersion, info.OperatingSystem, info.KernelVersion, (int)info.NCPU, info.MemTotal);
    }

    public async Task<ImmutableArray<RuntimeContainerState>> ListOwnedAsync(string ownerHostId, CancellationToken cancellationToken)
    {
        var listed = await CallAsync(
            token => _client.Containers.ListContainersAsync(
                new ContainersListParameters { All = true, Filters = LabelFilter(ownerHostId) },
                token),
            "list containers",
            cancellationToken);
        var inspected = await Task.WhenAll(listed.Select(c => InspectAsync(c.ID, cancellationToken)));
        return [.. inspected.OfType<RuntimeContainerState>().Where(c => c.OwnerHostId == ownerHostId).OrderBy(c => c.Name, StringComparer.Ordinal)];
    }

    public async Task<RuntimeContainerState?> InspectAsync(string nameOrId, CancellationToken cancellationToken)
    {
        using var deadline = Deadline(cancellationToken);
        try
        {
            var response = await _client.Containers.InspectContainerAsync(nameOrId, deadline.Token);
            return ToState(response);
        }
        catch (DockerContainerNotFoundException)
        {
            return null;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw TimedOut(ex, $"inspect container {nameOrId}");
        }
        catch (Exception ex) when (IsEngineFailure(ex))
        {
            throw Wrap(ex, $"inspect container {nameOrId}");
        }
    }

    public async Task<ImmutableArray<string>> ListImagesAsync(CancellationToken cancellationToken)
    {
        var images = await CallAsync(token => _client.Images.ListImagesAsync(new ImagesListParameters(), token), "list images", cancellationToken);
        return [.. images
            .SelectMany(i => i.RepoTags ?? [])
            .Where(t => !string.IsNullOrEmpty(t) && t != "<none>:<none>")
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];
    }

    public async Task<bool> ImageExistsAsync(string image, CancellationToken cancellationToken)
    {
        using var deadline = Deadline(cancellationToken);
        try
        {
            await _client.Images.InspectImageAsync(image, deadline.Token);
            return true;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw TimedOut(ex, $"inspect image {image}");
        }
        catch (DockerImageNotFoundException)
        {
            return false;
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        catch (Exception ex) when (IsEngineFailure(ex))
        {
            throw Wrap(ex, $"inspect image {image}");
        }
    }

    public async Task<string> CreateAsync(ContainerCreateRequest request, CancellationToken cancellationToken)
    {
        using var deadline = Deadline(cancellationToken);
        try
        {
            var response = await _client.Containers.CreateContainerAsync(DockerSpecMapper.ToCreateParameters(request), deadline.Token);
            return response.ID;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw TimedOut(ex, $"create container {request.Name}");
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
        {
            throw new ContainerNameConflictException($"a container named '{request.Name}' already exists", ex);
        }
        catch (Exception ex) when (IsEngineFailure(ex))
        {
            throw Wrap(ex, $"create container {request.Name}");
        }
    }

    public Task StartAsync(string id, CancellationToken cancellationToken) =>
        CallAsync(token => _client.Containers.StartContainerAsync(id, new ContainerStartParameters(), token), $"start container {id}", cancellationToken);

    public async Task StopAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            // No timeout given: the engine uses the container's own StopSignal and StopTimeout.
            await _client.Containers.StopContainerAsync(id, new ContainerStopParameters(), cancellationToken);
        }
        catch (DockerContainerNotFoundException)
        {
            // Already gone: stopped enough.
        }
        catch (Exception ex) when (IsEngineFailure(ex))
        {
            throw Wrap(ex, $"stop container {id}");
        }
    }

    public async Task RemoveAsync(string id, CancellationToken cancellationToken)
    {
        using var deadline = Deadline(cancellationToken);
        try
        {
            await _client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, deadline.Token);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw TimedOut(ex, $"remove container {id}");
        }
        catch (DockerContainerNotFoundException)
        {
            // Already gone.
        }
        catch (Exception ex) when (IsEngineFailure(ex))
        {
            throw Wrap(ex, $"remove container {id}");
        }
    }

    public async IAsyncEnumerable<RuntimeEvent> WatchAsync(string ownerHostId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<RuntimeEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var monitor = MonitorAsync(ownerHostId, channel.Writer, stop.Token);
        try
        {
            await foreach (var runtimeEvent in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return runtimeEvent;
            }
        }
        finally
        {
            await stop.CancelAsync();
            await monitor;
        }
    }

    public void Dispose() => _client.Dispose();

    private async Task MonitorAsync(string ownerHostId, ChannelWriter<RuntimeEvent> writer, CancellationToken cancellationToken)
    {
        var filters = LabelFilter(ownerHostId);
        filters["type"] = new Dictionary<string, bool> { ["container"] = true };
        try
        {
            await _client.System.MonitorEventsAsync(new ContainerEventsParameters { Filters = filters }, new ChannelProgress(writer), cancellationToken);
            writer.TryComplete(new ContainerRuntimeException("the engine closed its event stream"));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            writer.TryComplete();
        }
        catch (Exception ex)
        {
            writer.TryComplete(IsEngineFailure(ex) ? Wrap(ex, "watch events") : ex);
        }
    }

    private static Dictionary<string, IDictionary<string, bool>> LabelFilter(string ownerHostId) => new()
    {
        ["label"] = new Dictionary<string, bool> { [OwnerLabels.FilterFor(ownerHostId)] = true },
    };

    private static RuntimeContainerState ToState(ContainerInspectResponse response)
    {
        var labels = response.Config?.Labels ?? new Dictionary<string, string>();
        var state = response.State;
        var status = state?.Status ?? "unknown";
        return new RuntimeContainerState
        {
            Id = response.ID,
            Name = response.Name.TrimStart('/'),
            OwnerHostId = labels.TryGetValue(OwnerLabels.HostId, out var owner) ? owner : null,
            DefinitionHash = labels.TryGetValue(OwnerLabels.DefinitionHash, out var hash) ? hash : null,
            Status = status,
            Health = state?.Health?.Status is { Length: > 0 } health ? health : "none",
            StartedAt = Timestamp(state?.StartedAt),
            FinishedAt = Timestamp(state?.FinishedAt),
            ExitCode = status is "exited" or "dead" ? (int?)state?.ExitCode : null,
            RestartCount = (int)response.RestartCount,
            OomKilled = state?.OOMKilled ?? false,
            Image = response.Config?.Image,
            Ports = Ports(response),
        };
    }

    private static ImmutableSortedDictionary<string, int> Ports(ContainerInspectResponse response)
    {
        var live = response.NetworkSettings?.Ports;
        var bindings = live is { Count: > 0 } && live.Values.Any(v => v is { Count: > 0 }) ? live : response.HostConfig?.PortBindings;
        var ports = ImmutableSortedDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        foreach (var (containerPort, published) in bindings ?? new Dictionary<string, IList<PortBinding>>())
        {
            var first = published?.Select(b => int.TryParse(b.HostPort, NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 0).FirstOrDefault(p => p > 0);
            if (first is > 0)
            {
                ports[containerPort] = first.Value;
            }
        }

        return ports.ToImmutable();
    }

    private static DateTimeOffset? Timestamp(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) && parsed.Year > 1
            ? parsed
            : null;

    private async Task<T> CallAsync<T>(Func<CancellationToken, Task<T>> call, string what, CancellationToken cancellationToken)
    {
        using var deadline = Deadline(cancellationToken);
        try
        {
            return await call(deadline.Token);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw TimedOut(ex, what);
        }
        catch (Exception ex) when (IsEngineFailure(ex))
        {
            throw Wrap(ex, what);
        }
    }

    private CancellationTokenSource Deadline(CancellationToken cancellationToken)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_callTimeout);
        return deadline;
    }

    private ContainerRuntimeException TimedOut(Exception ex, string what) =>
        new($"Docker did not {what} within {_callTimeout.TotalSeconds:0} s", ex);

    private static bool IsEngineFailure(Exception ex) =>
        ex is DockerApiException or HttpRequestException or IOException or TimeoutException
            or System.Net.Sockets.SocketException;

    private static ContainerRuntimeException Wrap(Exception ex, string what) => ex switch
    {
        DockerApiException api => new ContainerRuntimeException($"Docker could not {what}: {(int)api.StatusCode} {Reason(api.ResponseBody)}", ex),
        _ => new ContainerRuntimeException($"Docker could not {what}: {ex.Message}", ex),
    };

    private static string Reason(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return "(no message)";
        }

        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("message", out var message) ? message.GetString() ?? body : body;
        }
        catch (System.Text.Json.JsonException)
        {
            return body.Trim();
        }
    }

    private sealed class ChannelProgress(ChannelWriter<RuntimeEvent> writer) : IProgress<Message>
    {
        public void Report(Message value)
        {
            if (value.Actor is { ID: { Length: > 0 } id })
            {
                var name = value.Actor.Attributes is { } attributes && attributes.TryGetValue("name", out var n) ? n : null;
                writer.TryWrite(new RuntimeEvent(id, name, value.Action ?? string.Empty));
            }
        }
    }
}
