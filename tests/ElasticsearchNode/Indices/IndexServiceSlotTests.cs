using System.Collections.Immutable;
using Cloud.ElasticsearchNode.Indices;
using Cloud.ElasticsearchNode.Mapping;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Cloud.ElasticsearchNode.Tests.Indices;

/// <summary>
/// A shard slot on a cluster node names the copy it holds, so the steps that replace or close a copy act only on their
/// own: a cancelled recovery never swaps its files in, a failed one never closes the copy that replaced it, and a shard
/// closed underneath a state application does not stop it.
/// </summary>
public sealed class IndexServiceSlotTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "es1-slots-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void SwapIn_CancelledRecovery_LeavesTheOpenCopyAndItsFiles()
    {
        using var index = IndexService.Open(Metadata("docs", "u1", term: 1), _root, 16, NullLogger.Instance, openShards: false);
        var open = index.OpenShard(0, "copy-open");
        var staging = index.ShardPath(0) + ".recovering-copy-late";
        Directory.CreateDirectory(staging);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        var swap = () => index.SwapIn(0, "copy-late", staging, cancelled.Token);

        swap.Should().Throw<OperationCanceledException>();
        index.Shards[0].Shard.Should().BeSameAs(open);
        ShardAllocationMarker.Read(index.ShardPath(0)).Should().Be("copy-open");
    }

    [Fact]
    public void CloseShard_OnlyCopyOtherThanTheOneInTheSlot_LeavesItOpenWithItsFiles()
    {
        using var index = IndexService.Open(Metadata("docs", "u1", term: 1), _root, 16, NullLogger.Instance, openShards: false);
        var open = index.OpenShard(0, "copy-new");

        var closed = index.CloseShard(0, deleteFiles: true, onlyCopy: "copy-failed");

        closed.Should().BeFalse();
        index.Shards[0].Shard.Should().BeSameAs(open);
        Directory.Exists(index.ShardPath(0)).Should().BeTrue();
    }

    [Fact]
    public void ShardAllocationMarker_Holds_OnlyTheCopyThatWroteTheDirectory()
    {
        using var index = IndexService.Open(Metadata("docs", "u1", term: 1), _root, 16, NullLogger.Instance, openShards: false);
        ShardAllocationMarker.Holds(index.ShardPath(0), "copy-a").Should().BeFalse("an empty or missing directory holds no copy's data");
        index.OpenShard(0, "copy-a");
        index.CloseShard(0, deleteFiles: false);

        ShardAllocationMarker.Holds(index.ShardPath(0), "copy-a").Should().BeTrue();
        ShardAllocationMarker.Holds(index.ShardPath(0), "copy-b").Should().BeFalse();
    }

    [Fact]
    public void Apply_ShardClosedUnderneathWhileTheTermMoves_NoExceptionAndOtherIndicesUpdated()
    {
        var settings = new NodeSettings { NodeName = "n1", DataPath = _root };
        using var indices = new IndicesService(settings, NullLogger<IndicesService>.Instance);
        var a = Metadata("a", "ua", term: 1);
        var b = Metadata("b", "ub", term: 1);
        indices.Apply(Cluster(a, b), openShards: false);
        var shard = indices.Get("ua")!.OpenShard(0, "copy-a");

        // A recovery's swap or a close disposed the shard while this state application still reaches it.
        shard.Dispose();
        var apply = () => indices.Apply(Cluster(a with { PrimaryTerms = [2L], Version = 2 }, b with { PrimaryTerms = [3L], Version = 2 }), openShards: false);

        apply.Should().NotThrow();
        indices.Get("ub")!.Metadata.PrimaryTerm(0).Should().Be(3);
    }

    private static ClusterMetadata Cluster(params IndexMetadata[] indices) =>
        new("cluster", 1, ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, indices.Select(i => KeyValuePair.Create(i.Name, i))));

    private static IndexMetadata Metadata(string name, string uuid, long term) =>
        new(name, uuid, 1, 1, TypeMapping.Empty, ImmutableSortedDictionary.Create<string, AliasMetadata>(StringComparer.Ordinal),
            ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal), 0, [term], 1);
}
