using System.Text;
using Cloud.ElasticsearchNode.Engine;
using Cloud.ElasticsearchNode.Errors;
using Cloud.ElasticsearchNode.Mapping;
using FluentAssertions;
using Lucene.Net.Documents;
using Xunit;

namespace Cloud.ElasticsearchNode.Tests.Engine;

/// <summary>
/// The line a copy draws between an old primary and a new one: an old primary's operation that is being applied
/// when the new term arrives either lands before the term moves (so a resync reading the copy afterwards sees it)
/// or is refused; it never lands after.
/// </summary>
public sealed class IndexShardTermTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "es1-term-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task RaisePrimaryTerm_OldPrimaryOperationBeingApplied_WaitsSoTheIdsReadAfterIncludeIt()
    {
        using var factory = new BlockingFactory("in-flight");
        using var shard = Open(factory);
        var applying = Task.Run(() => shard.ApplyAsReplica([Operation("in-flight", 0, term: 1)], primaryTerm: 1));
        factory.Entered.Wait(TimeSpan.FromSeconds(10)).Should().BeTrue("the old primary's operation passed its term check and is being written");

        // What a new primary's resync does on the copy: take the new term, then read what the copy wrote.
        var resync = Task.Run(() =>
        {
            shard.RaisePrimaryTerm(2);
            return shard.IdsWrittenAbove(-1);
        });
        var finishedFirst = await Task.WhenAny(resync, Task.Delay(TimeSpan.FromMilliseconds(500)));
        factory.Release.Set();
        await applying;

        finishedFirst.Should().NotBeSameAs(resync, "the term may not move while an operation of the older term is between its check and its write");
        (await resync).Should().Contain("in-flight");
        shard.PrimaryTerm.Should().Be(2);
    }

    [Fact]
    public void ApplyAsReplica_OlderTermThanTheCopys_RefusedAndNothingWritten()
    {
        using var factory = new BlockingFactory(null);
        using var shard = Open(factory);
        shard.RaisePrimaryTerm(3);

        var stale = () => shard.ApplyAsReplica([Operation("late", 0, term: 2)], primaryTerm: 2);

        stale.Should().Throw<ElasticsearchException>().Which.Type.Should().Be("illegal_state_exception");
        shard.MaxSeqNo.Should().Be(-1);
        shard.IdsWrittenAbove(-1).Should().BeEmpty();
    }

    [Fact]
    public void ApplyAsReplica_LaterTermThanTheCopys_TakesIt()
    {
        using var factory = new BlockingFactory(null);
        using var shard = Open(factory);

        shard.ApplyAsReplica([Operation("new", 0, term: 4)], primaryTerm: 4);

        shard.PrimaryTerm.Should().Be(4);
        var older = () => shard.ApplyAsReplica([Operation("old", 1, term: 3)], primaryTerm: 3);
        older.Should().Throw<ElasticsearchException>();
    }

    private IndexShard Open(IShardDocumentFactory factory) =>
        IndexShard.Open(new ShardId("idx", "uuid", 0), Path.Combine(_root, "shard"), AnalyzerRegistry.Get(null), factory, 1);

    private static ShardOperation Operation(string id, long seqNo, long term) =>
        new(OperationKind.Index, id, seqNo, term, 1, null, Encoding.UTF8.GetBytes("""{"n":1}"""));

    /// <summary>Builds documents; the one with <c>blockedId</c> waits (inside the shard's write) until released.</summary>
    private sealed class BlockingFactory(string? blockedId) : IShardDocumentFactory, IDisposable
    {
        public ManualResetEventSlim Entered { get; } = new();

        public ManualResetEventSlim Release { get; } = new();

        public Document Build(string id, ReadOnlyMemory<byte> source)
        {
            if (id == blockedId)
            {
                Entered.Set();
                Release.Wait(TimeSpan.FromSeconds(30));
            }

            return DocumentParser.Parse(TypeMapping.Empty, id, source).Document;
        }

        public void Dispose()
        {
            Entered.Dispose();
            Release.Dispose();
        }
    }
}
