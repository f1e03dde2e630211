using Cloud.ElasticsearchNode.Cluster.State;
using Cloud.ElasticsearchNode.Cluster.Transport;

namespace Cloud.ElasticsearchNode.Cluster.Shards;

/// <summary>
/// File-based peer recovery (Elasticsearch's phase 1): the target lists the source copy's files and
/// copies them in chunks over the transport into a staging directory, then swaps it in. A replica
/// recovers from its primary, a relocation target from the copy it replaces; the time it takes grows
/// with the data.
/// </summary>
internal sealed class PeerRecovery(ShardStore store, TransportService transport)
{
    public const int ChunkBytes = 4 * 1024 * 1024;

    public void RegisterSourceHandlers()
    {
        transport.Register<ShardFilesRequest, ShardFilesResponse>(ShardActions.Files, (r, _) => Task.FromResult(new ShardFilesResponse(store.Files(r.IndexUuid, r.Shard))));
        transport.Register<FileChunkRequest, FileChunkResponse>(ShardActions.FileChunk, async (r, ct) =>
        {
            var path = store.PathOf(r.IndexUuid, r.Shard, r.Name);
            var buffer = new byte[Math.Clamp(r.Length, 0, ChunkBytes)];
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            file.Position = r.Offset;
            var read = await file.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
            return new FileChunkResponse(read == buffer.Length ? buffer : buffer[..read]);
        });
    }

    /// <summary>Brings the local store of <paramref name="copy"/> up to date; returns the bytes copied.</summary>
    public async Task<long> RecoverAsync(ShardRouting copy, ClusterState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(copy);
        ArgumentNullException.ThrowIfNull(state);
        var index = state.Metadata.Indices[copy.Index];
        var target = store.DirectoryOf(index.Uuid, copy.Shard);
        var sourceNodeId = copy.IsRelocationTarget ? copy.RelocatingNodeId : copy.Primary ? null : state.Routing.PrimaryOf(copy.Id)?.NodeId;
        if (sourceNodeId is null)
        {
            // A primary recovers from its own store (empty for a new index).
            Directory.CreateDirectory(target);
            return 0;
        }

        var source = state.Nodes.TryGetValue(sourceNodeId, out var node) ? node : throw new ClusterException("shard_not_found_exception", $"recovery source [{sourceNodeId}] of {copy.Id} left the cluster");
        var files = await transport.SendAsync<ShardFilesRequest, ShardFilesResponse>(source.TransportAddress, ShardActions.Files, new ShardFilesRequest(index.Uuid, copy.Shard), null, cancellationToken).ConfigureAwait(false);
        var staging = target + ".recovering";
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        Directory.CreateDirectory(staging);
        long copied = 0;
        foreach (var file in files.Files)
        {
            var path = Path.GetFullPath(Path.Combine(staging, file.Name));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await using var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            for (long offset = 0; offset < file.Length;)
            {
                var length = (int)Math.Min(ChunkBytes, file.Length - offset);
                var chunk = await transport.SendAsync<FileChunkRequest, FileChunkResponse>(source.TransportAddress, ShardActions.FileChunk,
                    new FileChunkRequest(index.Uuid, copy.Shard, file.Name, offset, length), null, cancellationToken).ConfigureAwait(false);
                if (chunk.Data.Length == 0)
                {
                    break; // the source file shrank; the next recovery (operations) catches up
                }

                await output.WriteAsync(chunk.Data, cancellationToken).ConfigureAwait(false);
                offset += chunk.Data.Length;
                copied += chunk.Data.Length;
            }

            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }

        Directory.Move(staging, target);
        return copied;
    }
}
