using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cloud.ElasticsearchNode.Engine;
using Cloud.ElasticsearchNode.Errors;
using Cloud.ElasticsearchNode.Indices;
using Cloud.ElasticsearchNode.Mapping;

namespace Cloud.ElasticsearchNode.Documents;

/// <summary>
/// Part 1's coordinator: routes each write to its shard on this node (auto-creating a missing index and
/// adding dynamically mapped fields through the metadata service first), syncs every touched shard's
/// translog once per request, then refreshes as asked.
/// </summary>
internal sealed class LocalDocumentCoordinator(IIndexMetadataService metadata, IndicesService indices) : IDocumentCoordinator
{
    public async Task<IReadOnlyList<WriteItemResult>> WriteAsync(IReadOnlyList<WriteRequest> requests, RefreshPolicy refresh, CancellationToken cancellationToken)
    {
        var results = new WriteItemResult[requests.Count];
        var touched = new Dictionary<IndexShard, long>();
        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            if (request.Id is null && request.OpType is OpType.Index or OpType.Create)
            {
                request = request with { Id = NewId() };
            }

            try
            {
                results[i] = await ExecuteAsync(request, touched, cancellationToken);
            }
            catch (ElasticsearchException ex)
            {
                results[i] = new WriteItemResult(request.OpType, request.Index, request.Id ?? "", -1, null, ex);
            }
        }

        await Task.WhenAll(touched.Select(t => t.Key.SyncAsync(t.Value, cancellationToken)));
        switch (refresh)
        {
            case RefreshPolicy.Immediate:
                foreach (var shard in touched.Keys)
                {
                    shard.Refresh();
                }

                break;
            case RefreshPolicy.WaitFor:
                await Task.WhenAll(touched.Keys.Select(s => s.WaitForRefreshAsync(cancellationToken)));
                break;
            default:
                break;
        }

        return results;
    }

    /// <summary>
    /// Runs writes that all route to one shard this node holds as primary (ids already assigned), durable
    /// on this copy; returns the results and the operations to replicate, in sequence number order.
    /// </summary>
    public async Task<(WriteItemResult[] Results, List<ShardOperation> Operations)> ExecuteOnPrimaryAsync(IReadOnlyList<WriteRequest> requests, CancellationToken cancellationToken)
    {
        var results = new WriteItemResult[requests.Count];
        var touched = new Dictionary<IndexShard, long>();
        var operations = new List<ShardOperation>();
        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            try
            {
                var result = results[i] = await ExecuteAsync(request, touched, cancellationToken);
                if (result.Result is { Outcome: not WriteOutcome.Noop } written)
                {
                    var delete = written.Outcome is WriteOutcome.Deleted or WriteOutcome.NotFound;
                    operations.Add(new ShardOperation(delete ? OperationKind.Delete : OperationKind.Index, written.Id, written.SeqNo, written.PrimaryTerm, written.Version,
                        delete ? null : request.Routing, delete ? ReadOnlyMemory<byte>.Empty : result.UpdatedSource ?? request.Source));
                }
            }
            catch (ElasticsearchException ex)
            {
                results[i] = new WriteItemResult(request.OpType, request.Index, request.Id ?? "", -1, null, ex);
            }
        }

        await Task.WhenAll(touched.Select(t => t.Key.SyncAsync(t.Value, cancellationToken)));
        operations.Sort((a, b) => a.SeqNo.CompareTo(b.SeqNo));
        return (results, operations);
    }

    /// <summary>Applies <paramref name="refresh"/> to shards written to.</summary>
    public static async Task RefreshAsync(IEnumerable<IndexShard> shards, RefreshPolicy refresh, CancellationToken cancellationToken)
    {
        switch (refresh)
        {
            case RefreshPolicy.Immediate:
                foreach (var shard in shards)
                {
                    shard.Refresh();
                }

                break;
            case RefreshPolicy.WaitFor:
                await Task.WhenAll(shards.Select(s => s.WaitForRefreshAsync(cancellationToken)));
                break;
            default:
                break;
        }
    }

    /// <summary>Assigns an auto-generated id to index and create requests without one.</summary>
    public static WriteRequest WithId(WriteRequest request) =>
        request.Id is null && request.OpType is OpType.Index or OpType.Create ? request with { Id = NewId() } : request;

    /// <summary>The concrete index a write goes to, creating it (one shard, one replica) when it does not exist.</summary>
    public Task<IndexMetadata> ResolveForWriteAsync(string name, CancellationToken cancellationToken) => ResolveOrCreateAsync(name, cancellationToken);

    public Task<StoredDocument?> GetAsync(string index, string id, string? routing, bool realtime, CancellationToken cancellationToken)
    {
        var resolved = IndexResolver.ResolveWriteIndex(metadata.Current, index) ?? throw ElasticsearchException.IndexNotFound(index);
        var service = indices.Require(resolved);
        var shard = service.Shard(ShardRouting.ShardFor(id, routing, resolved.NumberOfShards));
        return Task.FromResult(shard.Get(id, realtime));
    }

    private async Task<WriteItemResult> ExecuteAsync(WriteRequest request, Dictionary<IndexShard, long> touched, CancellationToken cancellationToken)
    {
        var index = await ResolveOrCreateAsync(request.Index, cancellationToken);
        var id = request.Id ?? throw ElasticsearchException.ActionRequestValidation("id is missing");
        var shardNumber = ShardRouting.ShardFor(id, request.Routing, index.NumberOfShards);
        var shard = indices.Require(index).Shard(shardNumber);
        WriteResult result;
        long location;
        ReadOnlyMemory<byte>? updated = null;
        switch (request.OpType)
        {
            case OpType.Index or OpType.Create:
                var constraints = request.OpType == OpType.Create ? request.Constraints with { CreateOnly = true } : request.Constraints;
                (result, location) = await IndexAsync(index.Name, shard, id, request.Routing, request.Source, constraints, cancellationToken);
                break;
            case OpType.Delete:
                result = shard.Delete(id, request.Constraints, out location);
                break;
            default:
                (result, location, updated) = await UpdateAsync(index.Name, shard, id, request, cancellationToken);
                break;
        }

        if (location > 0)
        {
            touched[shard] = touched.TryGetValue(shard, out var known) ? Math.Max(known, location) : location;
        }

        return new WriteItemResult(request.OpType, index.Name, id, shardNumber, result, null, updated);
    }

    private async Task<(WriteResult, long)> IndexAsync(string index, IndexShard shard, string id, string? routing, ReadOnlyMemory<byte> source,
        WriteConstraints constraints, CancellationToken cancellationToken)
    {
        var mapping = metadata.Current.Index(index)?.Mappings ?? TypeMapping.Empty;
        var parsed = DocumentParser.Parse(mapping, id, source);
        if (parsed.DynamicUpdate is { } update)
        {
            // Elasticsearch's rule: new fields reach the mapping before the document is acknowledged.
            await metadata.PutMappingAsync(index, update, cancellationToken);
        }

        var result = shard.Index(id, routing, source, parsed.Document, constraints, out var location);
        return (result, location);
    }

    private async Task<(WriteResult, long, ReadOnlyMemory<byte>?)> UpdateAsync(string index, IndexShard shard, string id, WriteRequest request, CancellationToken cancellationToken)
    {
        var spec = request.Update ?? throw ElasticsearchException.ActionRequestValidation("script or doc is missing");
        for (var attempt = 0; ; attempt++)
        {
            var current = shard.Get(id, realtime: true);
            try
            {
                if (current is null)
                {
                    var upsert = spec.DocAsUpsert ? spec.Doc : spec.Upsert;
                    if (upsert is null)
                    {
                        throw ElasticsearchException.DocumentMissing(index, id);
                    }

                    var bytes = JsonSerializer.SerializeToUtf8Bytes(upsert);
                    var (created, at) = await IndexAsync(index, shard, id, request.Routing, bytes, request.Constraints with { CreateOnly = true }, cancellationToken);
                    return (created, at, bytes);
                }

                if (request.Constraints.IfSeqNo is { } seqNo && (seqNo != current.SeqNo || request.Constraints.IfPrimaryTerm != current.PrimaryTerm))
                {
                    throw ElasticsearchException.VersionConflict(index, id,
                        $"required seqNo [{seqNo}], primary term [{request.Constraints.IfPrimaryTerm}]. current document has seqNo [{current.SeqNo}] and primary term [{current.PrimaryTerm}]");
                }

                var original = JsonNode.Parse(current.Source.Span) as JsonObject ?? [];
                var merged = (JsonObject)original.DeepClone();
                if (spec.Doc is not null)
                {
                    Merge(merged, spec.Doc);
                }

                if (spec.DetectNoop && JsonNode.DeepEquals(original, merged))
                {
                    return (new WriteResult(id, WriteOutcome.Noop, current.Version, current.SeqNo, current.PrimaryTerm), 0, current.Source);
                }

                var source = JsonSerializer.SerializeToUtf8Bytes(merged);
                var (result, location) = await IndexAsync(index, shard, id, request.Routing, source,
                    new WriteConstraints(IfSeqNo: current.SeqNo, IfPrimaryTerm: current.PrimaryTerm), cancellationToken);
                return (result, location, source);
            }
            catch (ElasticsearchException ex) when (ex.Type == "version_conflict_engine_exception" && attempt < spec.RetryOnConflict)
            {
                // Another write got in between the read and the write: read again, as retry_on_conflict asks.
            }
        }
    }

    /// <summary>Merges a partial document into a source the way Elasticsearch's update does: objects recursively, everything else replaced.</summary>
    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is JsonObject patchObject && target[key] is JsonObject targetObject)
            {
                Merge(targetObject, patchObject);
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
    }

    private async Task<IndexMetadata> ResolveOrCreateAsync(string name, CancellationToken cancellationToken)
    {
        if (IndexResolver.ResolveWriteIndex(metadata.Current, name) is { } existing)
        {
            return existing;
        }

        try
        {
            return await metadata.CreateIndexAsync(new CreateIndexRequest(name, 1, 1, TypeMapping.Empty, [],
                ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal)), cancellationToken);
        }
        catch (ElasticsearchException ex) when (ex.Type == "resource_already_exists_exception")
        {
            // Another request created it first.
            if (IndexResolver.ResolveWriteIndex(metadata.Current, name) is { } created)
            {
                return created;
            }

            throw;
        }
    }

    /// <summary>A 20-character URL-safe id, the shape of Elasticsearch's auto-generated ids.</summary>
    private static string NewId() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(15)).Replace('/', '_').Replace('+', '-');
}
