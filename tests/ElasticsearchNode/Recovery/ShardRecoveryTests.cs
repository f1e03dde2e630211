using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using Cloud.ElasticsearchNode.Engine;
using Cloud.ElasticsearchNode.Indices;
using Cloud.ElasticsearchNode.Mapping;
using Cloud.ElasticsearchNode.Recovery;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Cloud.ElasticsearchNode.Tests.Recovery;

/// <summary>
/// A recovery cancelled while a read it already sent is still in flight (its copy was reassigned, or moved away) must
/// end as cancelled and leave the shard's slot and files to whatever copy holds them now: the copy that was open
/// before, or the next recovery of the same shard, which may finish first.
/// </summary>
public sealed class ShardRecoveryTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "es1-recovery-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task RecoverAsync_CancelledWhileAReadIsInFlight_DoesNotReplaceTheOpenCopy()
    {
        using var source = CommitSource.Of(Path.Combine(_root, "source"), "from-source");
        using var target = Index(Path.Combine(_root, "target"));
        var open = target.OpenShard(0, "copy-open");
        Write(open, "kept");
        var gate = new ReadGate();
        using var cancel = new CancellationTokenSource();

        var recovery = ShardRecovery.RecoverAsync(target, 0, "copy-cancelled", source.Gated(gate), TimeProvider.System, cancel.Token);
        (await gate.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();
        await cancel.CancelAsync();
        gate.Release();

        await FluentActions.Awaiting(() => recovery).Should().ThrowAsync<OperationCanceledException>();
        target.Shards[0].Shard.Should().BeSameAs(open, "a cancelled recovery never swaps its files in");
        target.AllocationOf(0).Should().Be("copy-open");
        open.Get("kept", realtime: true).Should().NotBeNull();
        StagingDirectories(target).Should().BeEmpty();
    }

    [Fact]
    public async Task RecoverAsync_CancelledRecoveryEndsAfterTheNextOneOfTheShard_LeavesTheNewCopyAlone()
    {
        using var source = CommitSource.Of(Path.Combine(_root, "source"), "from-source");
        using var target = Index(Path.Combine(_root, "target"));
        var gate = new ReadGate();
        using var cancel = new CancellationTokenSource();
        var cancelled = ShardRecovery.RecoverAsync(target, 0, "copy-old", source.Gated(gate), TimeProvider.System, cancel.Token);
        (await gate.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();
        await cancel.CancelAsync();

        // The shard is assigned here again and its new recovery runs to the end while the old one's read is in flight.
        await ShardRecovery.RecoverAsync(target, 0, "copy-new", source.Gated(null), TimeProvider.System, CancellationToken.None);
        var recovered = target.Shards[0].Shard;
        gate.Release();

        await FluentActions.Awaiting(() => cancelled).Should().ThrowAsync<OperationCanceledException>(
            "the old recovery is cancelled, not failed: a failure would close the shard's slot and delete its directory");
        target.Shards[0].Shard.Should().BeSameAs(recovered);
        target.AllocationOf(0).Should().Be("copy-new");
        recovered!.Get("from-source", realtime: true).Should().NotBeNull();
        ShardAllocationMarker.Read(target.ShardPath(0)).Should().Be("copy-new");
        StagingDirectories(target).Should().BeEmpty();
    }

    private static IndexService Index(string path)
    {
        var metadata = new IndexMetadata("docs", "uuid-" + Path.GetFileName(path), 1, 1, TypeMapping.Empty,
            ImmutableSortedDictionary.Create<string, AliasMetadata>(StringComparer.Ordinal), ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal),
            0, [1L], 1);
        return IndexService.Open(metadata, path, 16, NullLogger.Instance, openShards: false);
    }

    private static void Write(IndexShard shard, string id)
    {
        var location = shard.ApplyAsReplica(new ShardOperation(OperationKind.Index, id, shard.MaxSeqNo + 1, 1, 1, null, Encoding.UTF8.GetBytes("""{"n":1}""")));
        shard.SyncAsync(location, CancellationToken.None).GetAwaiter().GetResult();
        shard.Refresh();
    }

    private static IEnumerable<string> StagingDirectories(IndexService index) =>
        Directory.Exists(index.Path) ? Directory.EnumerateDirectories(index.Path, "*.recovering*") : [];

    /// <summary>Holds reads (whatever their cancellation token says, as a read already on the wire) until released.</summary>
    private sealed class ReadGate
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<bool> Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task WaitAsync()
        {
            Entered.TrySetResult(true);
            return _release.Task;
        }

        public void Release() => _release.TrySetResult();
    }

    /// <summary>A shard with one document, flushed; its commit's files served as a recovery source (no history after it).</summary>
    private sealed class CommitSource : IDisposable
    {
        private readonly IndexService _index;
        private readonly ShardCommitSnapshot _commit;

        private CommitSource(IndexService index, ShardCommitSnapshot commit)
        {
            _index = index;
            _commit = commit;
        }

        public static CommitSource Of(string path, string id)
        {
            var index = Index(path);
            var shard = index.OpenShard(0, "copy-source");
            Write(shard, id);
            return new CommitSource(index, shard.AcquireCommitSnapshot());
        }

        public IShardRecoverySource Gated(ReadGate? gate) => new Reader(_commit, gate);

        public void Dispose()
        {
            _commit.Dispose();
            _index.Dispose();
        }

        private sealed class Reader(ShardCommitSnapshot commit, ReadGate? gate) : IShardRecoverySource
        {
            public Task<StartRecoveryResponse> StartAsync(CancellationToken cancellationToken) =>
                Task.FromResult(new StartRecoveryResponse("r", [.. commit.Files.Select(f => new RecoveryFile(f, new FileInfo(Path.Combine(commit.Directory, f)).Length))], commit.LocalCheckpoint));

            public async Task<IMemoryOwner<byte>> ReadAsync(string file, long offset, int length, CancellationToken cancellationToken)
            {
                if (gate is not null)
                {
                    await gate.WaitAsync();
                }

                var bytes = await File.ReadAllBytesAsync(Path.Combine(commit.Directory, file), CancellationToken.None);
                return new Owned(bytes.AsMemory((int)offset, length));
            }

            public Task<RecoveryOperationsResponse> OperationsAsync(long afterSeqNo, CancellationToken cancellationToken) =>
                Task.FromResult(new RecoveryOperationsResponse([], commit.MaxSeqNo, commit.LocalCheckpoint));

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }

        private sealed class Owned(Memory<byte> memory) : IMemoryOwner<byte>
        {
            public Memory<byte> Memory { get; } = memory;

            public void Dispose()
            {
            }
        }
    }
}
