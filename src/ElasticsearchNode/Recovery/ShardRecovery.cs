using Cloud.ElasticsearchNode.Indices;

namespace Cloud.ElasticsearchNode.Recovery;

/// <summary>
/// The target's side of a recovery, whatever the source: copy the files of the source's commit in
/// chunks into a staging directory, swap it in, open the shard (from here on it applies the writes the
/// primary sends it), then replay the source's operations after the commit up to the source's max
/// sequence number at that moment. Replays are idempotent by sequence number, so overlaps are harmless.
/// </summary>
internal static class ShardRecovery
{
    public const int ChunkBytes = 4 * 1024 * 1024;

    /// <summary>Recovers shard <paramref name="shard"/> of <paramref name="index"/>; returns (bytes copied, operations replayed).</summary>
    public static async Task<(long Bytes, long Operations)> RecoverAsync(IndexService index, int shard, IShardRecoverySource source, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(source);
        var start = await source.StartAsync(cancellationToken).ConfigureAwait(false);
        var path = index.ShardPath(shard);
        var staging = path + ".recovering";
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        var luceneDirectory = Path.Combine(staging, "index");
        Directory.CreateDirectory(luceneDirectory);
        long copied = 0;
        foreach (var file in start.Files)
        {
            var target = Path.GetFullPath(Path.Combine(luceneDirectory, file.Name));
            if (!target.StartsWith(luceneDirectory + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"recovery source named a file outside the shard: [{file.Name}]");
            }

            await using var output = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            for (long offset = 0; offset < file.Length;)
            {
                var data = await source.ReadAsync(file.Name, offset, (int)Math.Min(ChunkBytes, file.Length - offset), cancellationToken).ConfigureAwait(false);
                if (data.Length == 0)
                {
                    throw new InvalidDataException($"recovery source ended [{file.Name}] at {offset} of {file.Length} bytes");
                }

                await output.WriteAsync(data, cancellationToken).ConfigureAwait(false);
                offset += data.Length;
                copied += data.Length;
            }

            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            output.Flush(flushToDisk: true);
        }

        index.CloseShard(shard, deleteFiles: true);
        Directory.Move(staging, path);
        var opened = index.OpenShard(shard);

        long after = start.LocalCheckpoint;
        long? end = null;
        long location = 0;
        long replayed = 0;
        while (true)
        {
            var page = await source.OperationsAsync(after, cancellationToken).ConfigureAwait(false);

            // Writes after this first answer reach the open shard directly; the history covers those before.
            end ??= page.MaxSeqNo;
            foreach (var operation in page.Operations.Where(o => o.SeqNo > after))
            {
                location = Math.Max(location, opened.ApplyAsReplica(operation));
                after = operation.SeqNo;
                replayed++;
            }

            if (after >= end)
            {
                break;
            }

            if (page.Operations.Count == 0)
            {
                if (page.LocalCheckpoint >= end)
                {
                    break; // everything up to the end was processed; what is missing were failed writes (gaps)
                }

                // Writes below the end are still being appended on the source.
                await Task.Delay(TimeSpan.FromMilliseconds(20), time, cancellationToken).ConfigureAwait(false);
            }
        }

        if (location > 0)
        {
            await opened.SyncAsync(location, cancellationToken).ConfigureAwait(false);
        }

        opened.Refresh();
        return (copied, replayed);
    }
}
