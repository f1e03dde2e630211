using System.Collections.Immutable;
using Cloud.Runner.Hosting;
using Cloud.Shared.Containers;
using Cloud.Shared.Coordination;
using Cloud.Shared.Serialization;
using Cloud.ZooKeeper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Runner.Publishing;

/// <summary>
/// Writes observations to <c>/cloud/inspect/&lt;host_id&gt;/&lt;name&gt;</c>, only when their content changed
/// (the observation time aside), and deletes the nodes of definitions that are gone. A write that
/// fails is simply tried again on the next pass: what was last published is only updated on success.
/// </summary>
internal sealed partial class InspectPublisher(IOptions<RunnerOptions> options, ILogger<InspectPublisher> logger)
{
    private readonly string _hostId = options.Value.HostId;
    private ImmutableDictionary<string, byte[]> _published = ImmutableDictionary<string, byte[]>.Empty.WithComparers(StringComparer.Ordinal);
    private bool _swept;

    /// <summary>How many node writes and deletes the last call made (for tests and benchmarks).</summary>
    public int LastWrites { get; private set; }

    public async Task PublishAsync(ZooKeeperClient client, ImmutableSortedDictionary<string, ContainerObservation> observations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(observations);
        var basePath = CloudPaths.InspectOf(_hostId);
        if (!_swept)
        {
            await SweepAsync(client, basePath, observations, cancellationToken);
            _swept = true;
        }

        var writes = new List<Task<(string Name, byte[]? Content)>>();
        foreach (var (name, observation) in observations)
        {
            var comparable = CloudJson.Serialize(observation with { ObservedAt = default });
            if (_published.TryGetValue(name, out var last) && last.AsSpan().SequenceEqual(comparable))
            {
                continue;
            }

            writes.Add(WriteAsync(client, InspectPath(name), name, CloudJson.Serialize(observation), comparable, cancellationToken));
        }

        foreach (var name in _published.Keys.Where(n => !observations.ContainsKey(n)))
        {
            writes.Add(DeleteAsync(client, InspectPath(name), name, cancellationToken));
        }

        var results = await Task.WhenAll(writes);
        var builder = _published.ToBuilder();
        foreach (var (name, content) in results)
        {
            if (content is null)
            {
                builder.Remove(name);
            }
            else if (content.Length > 0)
            {
                builder[name] = content;
            }
        }

        _published = builder.ToImmutable();
        LastWrites = writes.Count;
    }

    private async Task SweepAsync(ZooKeeperClient client, string basePath, ImmutableSortedDictionary<string, ContainerObservation> observations, CancellationToken cancellationToken)
    {
        try
        {
            await client.CreateRecursiveAsync(basePath, null, cancellationToken);
        }
        catch (NodeExistsException)
        {
        }

        var children = await client.GetChildrenAsync(basePath, null, cancellationToken);
        foreach (var stale in children.Children.Where(c => !observations.ContainsKey(c)))
        {
            await DeleteAsync(client, InspectPath(stale), stale, cancellationToken);
        }
    }

    /// <summary>
    /// The inspect node of a definition, under the very name of its definition node. Names come from
    /// ZooKeeper's own children list, so they are valid node names whatever Docker thinks of them: a
    /// refused name (<c>bad name!</c>) is published as refused under that same name.
    /// </summary>
    private string InspectPath(string name) => CloudPaths.InspectOf(_hostId) + "/" + name;

    /// <returns>The name and what is now published, or an empty array when the write failed (retried next pass).</returns>
    private async Task<(string Name, byte[]? Content)> WriteAsync(
        ZooKeeperClient client, string path, string name, byte[] data, byte[] comparable, CancellationToken cancellationToken)
    {
        try
        {
            try
            {
                await client.SetDataAsync(path, data, -1, cancellationToken);
            }
            catch (NoNodeException)
            {
                try
                {
                    await client.CreateAsync(path, data, CreateMode.Persistent, null, cancellationToken);
                }
                catch (NodeExistsException)
                {
                    await client.SetDataAsync(path, data, -1, cancellationToken);
                }
            }

            return (name, comparable);
        }
        catch (ZooKeeperException ex)
        {
            LogPublishFailed(name, ex.Message);
            return (name, []);
        }
    }

    private async Task<(string Name, byte[]? Content)> DeleteAsync(ZooKeeperClient client, string path, string name, CancellationToken cancellationToken)
    {
        try
        {
            await client.DeleteAsync(path, -1, cancellationToken);
            LogDeleted(name);
            return (name, null);
        }
        catch (NoNodeException)
        {
            return (name, null);
        }
        catch (ZooKeeperException ex)
        {
            LogPublishFailed(name, ex.Message);
            return (name, []);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish the observation of {Name}: {Reason}; retrying on the next pass")]
    private partial void LogPublishFailed(string name, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted the observation of {Name}: its definition is gone")]
    private partial void LogDeleted(string name);
}
