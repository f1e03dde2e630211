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
    public string Health => Shards.Any(s => !s.IsStarted) ? "red" : _metadata.NumberOfReplicas > 0 ? "yellow" : "green";

    public static IndexService Open(IndexMetadata metadata, string indicesPath, double ramBufferMb, ILogger logger)
    {
        var path = System.IO.Path.Combine(indicesPath, metadata.Uuid);
        var analyzer = new MappingAnalyzer(metadata.Mappings);
        var service = new IndexService(metadata, path, [], analyzer, logger);
        var slots = ImmutableArray.CreateBuilder<ShardSlot>(metadata.NumberOfShards);
        for (var shard = 0; shard < metadata.NumberOfShards; shard++)
        {
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
