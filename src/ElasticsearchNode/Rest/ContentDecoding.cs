using System.IO.Compression;
using Cloud.ElasticsearchNode.Errors;

namespace Cloud.ElasticsearchNode.Rest;

/// <summary>Request bodies as Elasticsearch accepts them: plain, or with <c>Content-Encoding</c> gzip or deflate.</summary>
internal static class ContentDecoding
{
    /// <summary>A decompressing stream over the body (the caller disposes it; the body stays open), or null when the body is not encoded.</summary>
    public static Stream? Decoder(Stream body, string? contentEncoding)
    {
        ArgumentNullException.ThrowIfNull(body);
        return contentEncoding?.Trim().ToLowerInvariant() switch
        {
            null or "" or "identity" => null,
            "gzip" or "x-gzip" => new GZipStream(body, CompressionMode.Decompress, leaveOpen: true),
            "deflate" => new ZLibStream(body, CompressionMode.Decompress, leaveOpen: true),
            var other => throw ElasticsearchException.IllegalArgument($"unsupported Content-Encoding [{other}]; use gzip or deflate"),
        };
    }
}
