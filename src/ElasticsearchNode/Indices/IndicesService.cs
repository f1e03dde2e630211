using System.Collections.Concurrent;
using Cloud.ElasticsearchNode.Errors;

using Microsoft.Extensions.Logging;


namespace Cloud.ElasticsearchNode.Indices;

/// <summary>
/// The indices held on this node, kept in line with the cluster metadata it is given: new indices are
/// opened, removed ones closed and deleted from disk, changed ones updated. It also drives the
/// periodic refresh (Elasticsearch's 1 s default) and flushes when a translog grows large.
/// </summary>
internal sealed partial class IndicesService : IDisposable
{
    private const long FlushThresholdBytes = 512L * 1024 * 1024;
    private readonly ConcurrentDictionary<string, IndexService> _indices = new(StringComparer.Ordinal);
    private readonly NodeSettings _options;
    private readonly ILogger<IndicesService> _logger;
    private readonly Lock _applyGate = new();
    private bool _disposed;

    public IndicesService(NodeSettings settings, ILogger<IndicesService> logger)
    {
        _options = settings;
        _logger = logger;
        IndicesPath = Path.Combine(_options.DataPath, "indices");
        Directory.CreateDirectory(IndicesPath);
    }

    public string IndicesPath { get; }

    public IEnumerable<IndexService> All => _indices.Values;

    public IndexService? Get(string uuid) => _indices.GetValueOrDefault(uuid);

    public IndexService Require(IndexMetadata index) =>
        _indices.GetValueOrDefault(index.Uuid) ?? throw ElasticsearchException.IndexNotFound(index.Name);

    /// <summary>Brings the local indices in line with <paramref name="metadata"/>.</summary>
    public void Apply(ClusterMetadata metadata) => Apply(metadata, openShards: true);

    /// <summary>
    /// Brings the local indices in line with <paramref name="metadata"/>; with <paramref name="openShards"/>
    /// false (a cluster node) new indices open no shard: the routing table says which copies are here.
    /// </summary>
    public void Apply(ClusterMetadata metadata, bool openShards)
    {
        lock (_applyGate)
        {
            // A lone node recovers in the background: a host stopping meanwhile must not see shards opened after it closed them.
            if (_disposed)
            {
                return;
            }

            var wanted = metadata.Indices.Values.ToDictionary(i => i.Uuid, StringComparer.Ordinal);
            foreach (var (uuid, service) in _indices)
            {
                if (!wanted.ContainsKey(uuid) && _indices.TryRemove(uuid, out _))
                {
                    LogIndexRemoved(_logger, service.Metadata.Name, uuid);
                    service.Dispose();
                    TryDeleteDirectory(service.Path);
                }
            }

            // One index that cannot be brought in line (a shard closing underneath, a disk error) is logged and left for
            // the next state: it must not stop the others, nor the shard allocation that runs after this on a cluster node.
            foreach (var (uuid, index) in wanted)
            {
                try
                {
                    if (_indices.TryGetValue(uuid, out var existing))
                    {
                        existing.Update(index);
                        continue;
                    }

                    var opened = IndexService.Open(index, IndicesPath, _options.IndexBufferMb, _logger, openShards);
                    _indices[uuid] = opened;
                    LogIndexOpened(_logger, index.Name, uuid, index.NumberOfShards, opened.Health);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    LogApplyFailed(_logger, ex, index.Name);
                }
            }
        }
    }

    /// <summary>One pass of the background maintenance: due refreshes, and flushes of large translogs.</summary>
    public void Maintain(DateTimeOffset now)
    {
        foreach (var index in _indices.Values)
        {
            try
            {
                index.RefreshIfDue(now);
                foreach (var shard in index.StartedShards.Where(s => s.TranslogSizeBytes > FlushThresholdBytes))
                {
                    shard.Flush();
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogMaintenanceFailed(_logger, ex, index.Metadata.Name);
            }
        }
    }

    public void Dispose()
    {
        lock (_applyGate)
        {
            _disposed = true;
            foreach (var uuid in _indices.Keys)
            {
                if (_indices.TryRemove(uuid, out var index))
                {
                    index.Dispose();
                }
            }
        }
    }

    private void TryDeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogDeleteFailed(_logger, ex, path);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "index [{Index}/{Uuid}] opened with {Shards} shards ({Health})")]
    private static partial void LogIndexOpened(ILogger logger, string index, string uuid, int shards, string health);

    [LoggerMessage(Level = LogLevel.Information, Message = "index [{Index}/{Uuid}] removed")]
    private static partial void LogIndexRemoved(ILogger logger, string index, string uuid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not delete {Path}")]
    private static partial void LogDeleteFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "index [{Index}] could not be brought in line with the metadata; the next state retries")]
    private static partial void LogApplyFailed(ILogger logger, Exception exception, string index);

    [LoggerMessage(Level = LogLevel.Warning, Message = "refresh or flush of [{Index}] failed")]
    private static partial void LogMaintenanceFailed(ILogger logger, Exception exception, string index);
}
