using System.IO.Compression;
using Cloud.ElasticsearchNode.Errors;

namespace Cloud.ElasticsearchNode.Rest;

/// <summary>Request bodies as Elasticsearch accepts them: plain, or with <c>Content-Encoding</c> gzip or deflate.</summary>
internal static class ContentDecoding
{
    /// <summary>A stream of the decoded body; the caller disposes it (the request body itself stays open).</summary>
    public static Stream Open(Stream body, string? contentEncoding)
    {
        ArgumentNullException.ThrowIfNull(body);
        return contentEncoding?.Trim().ToLowerInvariant() switch
        {
            null or "" or "identity" => new NonClosingStream(body),
            "gzip" or "x-gzip" => new GZipStream(body, CompressionMode.Decompress, leaveOpen: true),
            "deflate" => new ZLibStream(body, CompressionMode.Decompress, leaveOpen: true),
            var other => throw ElasticsearchException.IllegalArgument($"unsupported Content-Encoding [{other}]; use gzip or deflate"),
        };
    }

    /// <summary>Lets the caller dispose what <see cref="Open"/> returned without closing the request body.</summary>
    private sealed class NonClosingStream(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
