using Cloud.ElasticsearchNode.Recovery;
using FluentAssertions;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Xunit;

namespace Cloud.ElasticsearchNode.Tests.Recovery;

/// <summary>Recovered files are checked against the CRC-32 in their own Lucene footer, fed in chunks of any size.</summary>
public sealed class FooterChecksumTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "es-footer-" + Guid.NewGuid().ToString("N")[..8]);

    public FooterChecksumTests()
    {
        using var directory = FSDirectory.Open(_root);
        using var writer = new IndexWriter(directory, new IndexWriterConfig(LuceneVersion.LUCENE_48, new StandardAnalyzer(LuceneVersion.LUCENE_48)) { UseCompoundFile = false });
        for (var i = 0; i < 500; i++)
        {
            writer.AddDocument([new StringField("_id", "d" + i, Field.Store.YES), new TextField("body", "quick brown fox number " + i, Field.Store.YES)]);
        }

        writer.Commit();
    }

    public void Dispose() => System.IO.Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData(7)]
    [InlineData(4096)]
    [InlineData(1 << 20)]
    public void Verify_EveryFileOfACommitInChunks_Passes(int chunk)
    {
        var files = System.IO.Directory.GetFiles(_root).Where(f => !f.EndsWith("write.lock", StringComparison.Ordinal)).ToList();

        files.Should().NotBeEmpty();
        foreach (var file in files)
        {
            var act = () => Feed(file, File.ReadAllBytes(file), chunk).Verify();
            act.Should().NotThrow(Path.GetFileName(file));
        }
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    public void Verify_OneByteChanged_ThrowsInvalidData(double where)
    {
        var file = System.IO.Directory.GetFiles(_root).Where(f => !f.EndsWith("write.lock", StringComparison.Ordinal)).MaxBy(f => new FileInfo(f).Length)!;
        var bytes = File.ReadAllBytes(file);
        var at = where < 0 ? bytes.Length - 1 : (int)(bytes.Length * where);
        bytes[at] ^= 0x20;

        var act = () => Feed(file, bytes, 1000).Verify();

        act.Should().Throw<InvalidDataException>().WithMessage("*corrupt*");
    }

    [Fact]
    public void Verify_FileWithoutAFooter_IsNotChecked()
    {
        var act = () => Feed("plain.bin", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18], 5).Verify();

        act.Should().NotThrow();
    }

    [Fact]
    public void Verify_FewerBytesThanAnnounced_Throws()
    {
        var checksum = new FooterChecksum("short.bin", 100);
        checksum.Append(new byte[60]);

        var act = checksum.Verify;

        act.Should().Throw<InvalidDataException>().WithMessage("*60 bytes, 100 expected*");
    }

    private static FooterChecksum Feed(string name, byte[] bytes, int chunk)
    {
        var checksum = new FooterChecksum(Path.GetFileName(name), bytes.Length);
        for (var offset = 0; offset < bytes.Length; offset += chunk)
        {
            checksum.Append(bytes.AsSpan(offset, Math.Min(chunk, bytes.Length - offset)));
        }

        return checksum;
    }
}
