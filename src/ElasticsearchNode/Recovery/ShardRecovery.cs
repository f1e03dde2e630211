using System.Buffers;
using Cloud.ElasticsearchNode.Engine;
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

    // Chunks requested ahead of the one being written: the source reads and sends the next ones meanwhile
    // (many Lucene files are small, so chunks of several files are in flight together).
    private const int ChunksInFlight = 4;

    /// <summary>
    /// Recovers shard <paramref name="shard"/> of <paramref name="index"/> as copy <paramref name="allocationId"/>; returns
    /// (bytes copied, operations replayed).
    /// </summary>
    public static async Task<(long Bytes, long Operations)> RecoverAsync(IndexService index, int shard, string allocationId, IShardRecoverySource source, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrEmpty(allocationId);
        var start = await source.StartAsync(cancellationToken).ConfigureAwait(false);

        // One staging directory per copy: a cancelled recovery still finishing its last reads when the shard is
        // assigned here again must not write into, delete or swap in the new recovery's files.
        var staging = StagingPath(index, shard, allocationId);
        try
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }

            var luceneDirectory = Path.Combine(staging, "index");
            Directory.CreateDirectory(luceneDirectory);
            var copied = await CopyFilesAsync(start.Files, luceneDirectory, source, cancellationToken).ConfigureAwait(false);
            var opened = index.SwapIn(shard, allocationId, staging, cancellationToken);
            return (copied, await ReplayAsync(opened, start.LocalCheckpoint, source, time, cancellationToken).ConfigureAwait(false));
        }
        finally
        {
            TryDelete(staging);
        }
    }

    /// <summary>Where copy <paramref name="allocationId"/>'s files are gathered before they replace the shard's directory.</summary>
    public static string StagingPath(IndexService index, int shard, string allocationId)
    {
        ArgumentNullException.ThrowIfNull(index);
        return index.ShardPath(shard) + ".recovering-" + allocationId;
    }

    /// <summary>Replays the source's operations after <paramref name="after"/> up to its max seq_no at the first answer; returns how many.</summary>
    private static async Task<long> ReplayAsync(IndexShard opened, long after, IShardRecoverySource source, TimeProvider time, CancellationToken cancellationToken)
    {
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
        return replayed;
    }

    private static void TryDelete(string staging)
    {
        try
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
        catch (IOException)
        {
            // Left for the next recovery of this copy, which starts by deleting it.
        }
    }

    /// <summary>
    /// Copies every file of the commit in chunks, <see cref="ChunksInFlight"/> requested ahead, written in order and
    /// checked against each file's Lucene footer; returns the bytes copied.
    /// </summary>
    private static async Task<long> CopyFilesAsync(IReadOnlyList<RecoveryFile> files, string luceneDirectory, IShardRecoverySource source, CancellationToken cancellationToken)
    {
        var chunks = new List<(RecoveryFile File, long Offset, int Length)>();
        foreach (var file in files)
        {
            var target = Path.GetFullPath(Path.Combine(luceneDirectory, file.Name));
            if (!target.StartsWith(luceneDirectory + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"recovery source named a file outside the shard: [{file.Name}]");
            }

            await File.WriteAllBytesAsync(target, [], cancellationToken).ConfigureAwait(false);
            for (long offset = 0; offset < file.Length; offset += ChunkBytes)
            {
                chunks.Add((file, offset, (int)Math.Min(ChunkBytes, file.Length - offset)));
            }
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pending = new Queue<((RecoveryFile File, long Offset, int Length) Chunk, Task<IMemoryOwner<byte>> Data)>();
        FileStream? output = null;
        FooterChecksum? checksum = null;
        long copied = 0;
        var next = 0;
        try
        {
            while (next < chunks.Count || pending.Count > 0)
            {
                while (pending.Count < ChunksInFlight && next < chunks.Count)
                {
                    var ahead = chunks[next++];
                    pending.Enqueue((ahead, source.ReadAsync(ahead.File.Name, ahead.Offset, ahead.Length, stop.Token)));
                }

                var (chunk, read) = pending.Dequeue();
                using var data = await read.ConfigureAwait(false);
                if (data.Memory.Length != chunk.Length)
                {
                    throw new InvalidDataException($"recovery source sent {data.Memory.Length} bytes of [{chunk.File.Name}] at {chunk.Offset}, {chunk.Length} expected");
                }

                if (chunk.Offset == 0)
                {
                    await CloseAsync(output, checksum).ConfigureAwait(false);
                    output = new FileStream(Path.Combine(luceneDirectory, chunk.File.Name), FileMode.Create, FileAccess.Write, FileShare.None, 0, useAsync: true);
                    checksum = new FooterChecksum(chunk.File.Name, chunk.File.Length);
                }

                checksum!.Append(data.Memory.Span);
                await output!.WriteAsync(data.Memory, cancellationToken).ConfigureAwait(false);
                copied += data.Memory.Length;
            }

            await CloseAsync(output, checksum).ConfigureAwait(false);
            output = null;
            return copied;
        }
        finally
        {
            if (output is not null)
            {
                await output.DisposeAsync().ConfigureAwait(false);
            }

            // A failed copy leaves reads in flight: stop them, observe their outcome and return their buffers.
            await stop.CancelAsync().ConfigureAwait(false);
            foreach (var (_, read) in pending)
            {
                await read.ContinueWith(static t =>
                {
                    if (t.IsCompletedSuccessfully)
                    {
                        t.Result.Dispose();
                    }
                }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            }
        }
    }

    private static async Task CloseAsync(FileStream? output, FooterChecksum? checksum)
    {
        if (output is null)
        {
            return;
        }

        checksum?.Verify();

        await output.FlushAsync().ConfigureAwait(false);
        output.Flush(flushToDisk: true);
        await output.DisposeAsync().ConfigureAwait(false);
    }
}
