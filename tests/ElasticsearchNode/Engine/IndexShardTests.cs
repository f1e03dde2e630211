using System.Text;
using Cloud.ElasticsearchNode.Engine;
using Cloud.ElasticsearchNode.Errors;
using Cloud.ElasticsearchNode.Mapping;
using FluentAssertions;
using Lucene.Net.Documents;
using Xunit;

namespace Cloud.ElasticsearchNode.Tests.Engine;

public sealed class IndexShardTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "es1-shard-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void Index_SameIdTwice_VersionAndSeqNoGrow()
    {
        using var shard = Open("a");
        var first = Index(shard, "1", """{"n":1}""");
        var second = Index(shard, "1", """{"n":2}""");

        first.Should().Be(new WriteResult("1", WriteOutcome.Created, 1, 0, 1));
        second.Should().Be(new WriteResult("1", WriteOutcome.Updated, 2, 1, 1));
        Encoding.UTF8.GetString(shard.Get("1", realtime: true)!.Source.Span).Should().Be("""{"n":2}""");
    }

    [Fact]
    public void Index_IfSeqNoOfAnOlderWrite_ConflictsAndChangesNothing()
    {
        using var shard = Open("a");
        Index(shard, "1", """{"n":1}""");
        Index(shard, "1", """{"n":2}""");

        var stale = () => shard.Index("1", null, Bytes("""{"n":3}"""), Doc("""{"n":3}"""), new WriteConstraints(IfSeqNo: 0, IfPrimaryTerm: 1), out _);

        stale.Should().Throw<ElasticsearchException>().Which.Type.Should().Be("version_conflict_engine_exception");
        shard.Get("1", realtime: true)!.Version.Should().Be(2);
    }

    [Fact]
    public void Delete_ThenGet_NotFoundAndRecreateContinuesVersion()
    {
        using var shard = Open("a");
        Index(shard, "1", """{"n":1}""");
        shard.Delete("1", WriteConstraints.None, out _).Outcome.Should().Be(WriteOutcome.Deleted);

        shard.Get("1", realtime: true).Should().BeNull();
        shard.Delete("1", WriteConstraints.None, out _).Outcome.Should().Be(WriteOutcome.NotFound);
        Index(shard, "1", """{"n":2}""").Version.Should().Be(4);
    }

    [Fact]
    public void ApplyAsReplica_OlderOperationAfterNewer_KeepsNewer()
    {
        using var shard = Open("a");
        shard.ApplyAsReplica(new ShardOperation(OperationKind.Index, "1", 5, 1, 3, null, Bytes("""{"v":"new"}""")));
        shard.ApplyAsReplica(new ShardOperation(OperationKind.Index, "1", 3, 1, 2, null, Bytes("""{"v":"old"}""")));

        var document = shard.Get("1", realtime: true)!;
        document.SeqNo.Should().Be(5);
        Encoding.UTF8.GetString(document.Source.Span).Should().Contain("new");
        shard.MaxSeqNo.Should().Be(5);
    }

    [Fact]
    public async Task Open_CopyTakenWithoutCommit_ReplaysEveryAcknowledgedWrite()
    {
        using (var shard = Open("a"))
        {
            for (var i = 0; i < 50; i++)
            {
                Index(shard, "doc-" + i, $$"""{"n":{{i}}}""", sync: false);
            }

            shard.Delete("doc-7", WriteConstraints.None, out var location);
            await shard.SyncAsync(location, CancellationToken.None);

            // What a crash leaves on disk: the translog, and no Lucene commit of these writes.
            CopyDirectory(Path.Combine(_root, "a"), Path.Combine(_root, "crashed"));
        }

        using var reopened = Open("crashed");
        using var lease = reopened.AcquireSearcher();
        lease.Searcher.IndexReader.NumDocs.Should().Be(49);
        reopened.Get("doc-7", realtime: true).Should().BeNull();
        reopened.Get("doc-8", realtime: true)!.SeqNo.Should().Be(8);
        reopened.LocalCheckpoint.Should().Be(50);
    }

    [Fact]
    public void OperationsSince_AfterFlush_ReturnsOnlyLaterOperationsOrNullWhenTrimmed()
    {
        using var shard = Open("a");
        Index(shard, "1", "{}");
        Index(shard, "2", "{}");
        shard.Flush();
        Index(shard, "3", "{}");

        shard.OperationsSince(1)!.Select(o => o.Id).Should().Equal("3");
        shard.OperationsSince(-1).Should().BeNull();
        using var snapshot = shard.AcquireCommitSnapshot();
        snapshot.Files.Should().Contain(f => f.StartsWith("segments_", StringComparison.Ordinal));
        snapshot.MaxSeqNo.Should().Be(2);
    }

    private IndexShard Open(string name) =>
        IndexShard.Open(new ShardId("idx", "uuid", 0), Path.Combine(_root, name), AnalyzerRegistry.Get(null), new Factory(), 1);

    private static WriteResult Index(IndexShard shard, string id, string json, bool sync = true)
    {
        var result = shard.Index(id, null, Bytes(json), Doc(json), WriteConstraints.None, out var location);
        if (sync)
        {
            shard.SyncAsync(location, CancellationToken.None).GetAwaiter().GetResult();
        }

        return result;
    }

    private static byte[] Bytes(string json) => Encoding.UTF8.GetBytes(json);

    private static Document Doc(string json) => DocumentParser.Parse(TypeMapping.Empty, "x", Bytes(json)).Document;

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private sealed class Factory : IShardDocumentFactory
    {
        public Document Build(string id, ReadOnlyMemory<byte> source) => DocumentParser.Parse(TypeMapping.Empty, id, source).Document;
    }
}
