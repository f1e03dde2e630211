using System.Collections.Immutable;
using Cloud.ElasticsearchNode.Engine;
using Cloud.ElasticsearchNode.Errors;
using Cloud.ElasticsearchNode.Mapping;
using Lucene.Net.Documents;
using Microsoft.Extensions.Logging;

namespace Cloud.ElasticsearchNode.Indices;

/// <summary>
/// The shards of one index held on this node, and the index's current metadata (mappings change
/// while it is open). A shard that cannot be opened is kept as failed, so the index reports red.
/// </summary>
internal sealed partial class IndexService : IShardDocumentFactory, IDisposable
{
    private readonly ILogger _logger;
    private readonly Lock _shardsGate = new();
    private double _ramBufferMb;
    private volatile IndexMetadata _metadata;
    private DateTimeOffset _lastRefresh;

    private IndexService(IndexMetadata metadata, string path, ImmutableArray<ShardSlot> shards, MappingAnalyzer analyzer, ILogger logger)
    {
        _metadata = metadata;
        Path = path;
        Shards = shards;
        Analyzer = analyzer;
        _logger = logger;
    }

    public IndexMetadata Metadata => _metadata;

    public string Path { get; }

    public ImmutableArray<ShardSlot> Shards { get; private set; }

    public MappingAnalyzer Analyzer { get; }

    /// <summary>green when every primary is open and replicas are allocated; yellow when replicas are not (one node); red when a primary failed.</summary>
    public string Health => Shards.Any(s => s.Allocated && !s.IsStarted) ? "red" : _metadata.NumberOfReplicas > 0 ? "yellow" : "green";

    /// <summary>Opens the index; with <paramref name="openShards"/> false (a cluster node) no shard is opened until the routing table assigns it here.</summary>
    public static IndexService Open(IndexMetadata metadata, string indicesPath, double ramBufferMb, ILogger logger, bool openShards = true)
    {
        var path = System.IO.Path.Combine(indicesPath, metadata.Uuid);
        var analyzer = new MappingAnalyzer(metadata.Mappings);
        var service = new IndexService(metadata, path, [], analyzer, logger) { _ramBufferMb = ramBufferMb };
        var slots = ImmutableArray.CreateBuilder<ShardSlot>(metadata.NumberOfShards);
        for (var shard = 0; shard < metadata.NumberOfShards; shard++)
        {
            if (!openShards)
            {
                slots.Add(ShardSlot.Elsewhere(shard));
                continue;
            }

            var shardId = new ShardId(metadata.Name, metadata.Uuid, shard);
            try
            {
                var opened = IndexShard.Open(shardId, System.IO.Path.Combine(path, shard.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    analyzer, service, metadata.PrimaryTerm(shard), ramBufferMb);
                slots.Add(new ShardSlot(shard, opened, null));
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogShardFailed(logger, ex, shardId.ToString());
                slots.Add(new ShardSlot(shard, null, ex.GetType().Name + ": " + ex.Message));
            }
        }

        service.Shards = slots.MoveToImmutable();
        service._lastRefresh = DateTimeOffset.UtcNow;
        return service;
    }

    public void Update(IndexMetadata metadata)
    {
        _metadata = metadata;
        Analyzer.Mapping = metadata.Mappings;
        foreach (var shard in StartedShards)
        {
            // A promotion raises the term; the new primary writes with it, replicas refuse older ones.
            // A shard a recovery or a close took out of its slot meanwhile is no longer this index's concern.
            try
            {
                shard.RaisePrimaryTerm(metadata.PrimaryTerm(shard.ShardId.Shard));
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    public string ShardPath(int number) => System.IO.Path.Combine(Path, number.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>
    /// Opens shard <paramref name="number"/> from its directory (replaying its translog), or returns it when open. With
    /// <paramref name="allocationId"/> (a cluster node) the slot names that copy and the directory records it.
    /// </summary>
    public IndexShard OpenShard(int number, string? allocationId = null)
    {
        lock (_shardsGate)
        {
            if (Shards[number].Shard is { } open)
            {
                return open;
            }

            return OpenLocked(number, allocationId);
        }
    }

    /// <summary>The copy the open slot <paramref name="number"/> holds (null when closed, or opened without one).</summary>
    public string? AllocationOf(int number) => Shards[number] is { Shard: not null } slot ? slot.AllocationId : null;

    /// <summary>Closes shard <paramref name="number"/> (another node holds it now); with <paramref name="deleteFiles"/> its directory goes too.</summary>
    public void CloseShard(int number, bool deleteFiles) => CloseShard(number, deleteFiles, onlyCopy: null);

    /// <summary>
    /// Closes shard <paramref name="number"/>; with <paramref name="onlyCopy"/> only when the slot holds that copy (a failed
    /// recovery cleans up after itself, never after the copy that replaced it). Returns whether it closed.
    /// </summary>
    public bool CloseShard(int number, bool deleteFiles, string? onlyCopy)
    {
        IndexShard? shard;
        lock (_shardsGate)
        {
            if (onlyCopy is not null && Shards[number].AllocationId != onlyCopy)
            {
                return false;
            }

            shard = Shards[number].Shard;
            Shards = Shards.SetItem(number, ShardSlot.Elsewhere(number));
            DisposeQuietly(shard, number);
            if (deleteFiles && Directory.Exists(ShardPath(number)))
            {
                Directory.Delete(ShardPath(number), recursive: true);
            }
        }

        return true;
    }

    /// <summary>
    /// A recovery's last step: the files copied into <paramref name="staging"/> replace whatever the shard's directory held
    /// and are opened as copy <paramref name="allocationId"/>. Under the slot's gate and after a last look at
    /// <paramref name="cancellationToken"/>: a recovery cancelled (its copy reassigned, or gone) never replaces the copy
    /// that took its place, and a close that follows the cancellation always comes after a swap that preceded it.
    /// </summary>
    public IndexShard SwapIn(int number, string allocationId, string staging, CancellationToken cancellationToken)
    {
        lock (_shardsGate)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var previous = Shards[number].Shard;
            Shards = Shards.SetItem(number, ShardSlot.Elsewhere(number));
            DisposeQuietly(previous, number);
            if (Directory.Exists(ShardPath(number)))
            {
                Directory.Delete(ShardPath(number), recursive: true);
            }

            Directory.Move(staging, ShardPath(number));
            return OpenLocked(number, allocationId);
        }
    }

    private IndexShard OpenLocked(int number, string? allocationId)
    {
        var shardId = new ShardId(_metadata.Name, _metadata.Uuid, number);
        var opened = IndexShard.Open(shardId, ShardPath(number), Analyzer, this, _metadata.PrimaryTerm(number), _ramBufferMb);
        if (allocationId is not null)
        {
            try
            {
                ShardAllocationMarker.Write(ShardPath(number), allocationId);
            }
            catch
            {
                opened.Dispose();
                throw;
            }
        }

        Shards = Shards.SetItem(number, new ShardSlot(number, opened, null, AllocationId: allocationId));
        return opened;
    }

    private void DisposeQuietly(IndexShard? shard, int number)
    {
        try
        {
            shard?.Dispose();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogShardCloseFailed(_logger, ex, $"[{_metadata.Name}][{number}]");
        }
    }

    /// <summary>The open shard, or <c>no_shard_available_action_exception</c> when it failed.</summary>
    public IndexShard Shard(int number)
    {
        var slot = Shards[number];
        return slot.Shard ?? throw ElasticsearchException.ShardNotAvailable(_metadata.Name, $"[{_metadata.Name}][{number}] primary shard is not active: {slot.Failure}");
    }

    public IEnumerable<IndexShard> StartedShards => Shards.Where(s => s.Shard is not null).Select(s => s.Shard!);

    public Document Build(string id, ReadOnlyMemory<byte> source) => DocumentParser.Parse(_metadata.Mappings, id, source).Document;

    /// <summary>Refreshes when the index's refresh interval has passed since the last one.</summary>
    public void RefreshIfDue(DateTimeOffset now)
    {
        if (_metadata.RefreshInterval is not { } interval || now - _lastRefresh < interval)
        {
            return;
        }

        _lastRefresh = now;
        foreach (var shard in StartedShards)
        {
            shard.ScheduledRefresh();
        }
    }

    public void Dispose()
    {
        foreach (var shard in StartedShards)
        {
            try
            {
                shard.Dispose();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogShardCloseFailed(_logger, ex, shard.ShardId.ToString());
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "shard {Shard} failed to open; its index is red")]
    private static partial void LogShardFailed(ILogger logger, Exception exception, string shard);

    [LoggerMessage(Level = LogLevel.Warning, Message = "shard {Shard} failed to close cleanly")]
    private static partial void LogShardCloseFailed(ILogger logger, Exception exception, string shard);
}
