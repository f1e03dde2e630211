using System.IO.Pipelines;
using System.Text;

namespace Cloud.Proxy.FastPath;

/// <summary>
/// Writes the heads the fast path sends: the request to the instance (its own address as Host, hop-by-hop lines
/// left out) and the response to the client (HTTP/1.1, hop-by-hop lines left out, the contract's
/// <c>X-Found-Handling-*</c> headers added). Lines are copied as bytes; nothing is flushed here.
/// </summary>
internal static class HeadWriter
{
    private static ReadOnlySpan<byte> HandlingCluster => "X-Found-Handling-Cluster: "u8;

    private static ReadOnlySpan<byte> HandlingInstance => "X-Found-Handling-Instance: "u8;

    private static ReadOnlySpan<byte> ConnectionClose => "Connection: close\r\n"u8;

    public static void WriteRequest(PipeWriter output, RequestHead head, string address)
    {
        var target = head.Slice(head.Target);
        var size = head.MethodLength + 1 + target.Length + " HTTP/1.1\r\nHost: "u8.Length + address.Length + 2 + LinesSize(head.Lines, head.LineCount) + 2;
        var span = output.GetSpan(size);
        var n = Copy(head.Method, span, 0);
        span[n++] = (byte)' ';
        n = Copy(target, span, n);
        n = Copy(" HTTP/1.1\r\nHost: "u8, span, n);
        n += Encoding.ASCII.GetBytes(address, span[n..]);
        n = Copy(HttpSyntax.Crlf, span, n);
        n = CopyLines(head.Bytes, head.Lines, head.LineCount, span, n);
        n = Copy(HttpSyntax.Crlf, span, n);
        output.Advance(n);
    }

    public static void WriteResponse(PipeWriter output, ResponseHead head, string clusterId, string instanceName, bool close)
    {
        var status = head.Bytes.AsSpan(head.Status);
        var size = "HTTP/1.1 "u8.Length + status.Length + 2 + LinesSize(head.Lines, head.LineCount)
            + HandlingCluster.Length + Encoding.UTF8.GetMaxByteCount(clusterId.Length) + 2
            + HandlingInstance.Length + Encoding.UTF8.GetMaxByteCount(instanceName.Length) + 2
            + ConnectionClose.Length + 2;
        var span = output.GetSpan(size);
        var n = Copy("HTTP/1.1 "u8, span, 0);
        n = Copy(status, span, n);
        n = Copy(HttpSyntax.Crlf, span, n);
        n = CopyLines(head.Bytes, head.Lines, head.LineCount, span, n);
        n = Copy(HandlingCluster, span, n);
        n += Encoding.UTF8.GetBytes(clusterId, span[n..]);
        n = Copy(HttpSyntax.Crlf, span, n);
        n = Copy(HandlingInstance, span, n);
        n += Encoding.UTF8.GetBytes(instanceName, span[n..]);
        n = Copy(HttpSyntax.Crlf, span, n);
        if (close)
        {
            n = Copy(ConnectionClose, span, n);
        }

        n = Copy(HttpSyntax.Crlf, span, n);
        output.Advance(n);
    }

    /// <summary>
    /// The answer when no instance could be reached and the request cannot go elsewhere: 502 without a body, as
    /// YARP gives on the ordinary path, with the handling headers it had already set.
    /// </summary>
    public static void WriteBadGateway(PipeWriter output, string clusterId, string instanceName, bool close)
    {
        var size = 128 + Encoding.UTF8.GetMaxByteCount(clusterId.Length) + Encoding.UTF8.GetMaxByteCount(instanceName.Length);
        var span = output.GetSpan(size);
        var n = Copy("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n"u8, span, 0);
        n = Copy(HandlingCluster, span, n);
        n += Encoding.UTF8.GetBytes(clusterId, span[n..]);
        n = Copy(HttpSyntax.Crlf, span, n);
        n = Copy(HandlingInstance, span, n);
        n += Encoding.UTF8.GetBytes(instanceName, span[n..]);
        n = Copy(HttpSyntax.Crlf, span, n);
        if (close)
        {
            n = Copy(ConnectionClose, span, n);
        }

        n = Copy(HttpSyntax.Crlf, span, n);
        output.Advance(n);
    }

    /// <summary>The head of one of the proxy's own answers.</summary>
    public static void WriteRefusal(PipeWriter output, int status, string contentType, int contentLength, bool close)
    {
        var reason = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
        var head = $"HTTP/1.1 {status} {reason}\r\nContent-Type: {contentType}\r\nContent-Length: {contentLength}\r\n{(close ? "Connection: close\r\n" : string.Empty)}\r\n";
        var span = output.GetSpan(head.Length);
        output.Advance(Encoding.ASCII.GetBytes(head, span));
    }

    private static int LinesSize(HeaderLine[] lines, int count)
    {
        var size = 0;
        for (var i = 0; i < count; i++)
        {
            if (!lines[i].Drop)
            {
                size += lines[i].Length + 2;
            }
        }

        return size;
    }

    private static int CopyLines(byte[] bytes, HeaderLine[] lines, int count, Span<byte> span, int n)
    {
        for (var i = 0; i < count; i++)
        {
            ref readonly var line = ref lines[i];
            if (!line.Drop)
            {
                // Each line is followed by its CRLF in the head it came from: copy both at once.
                n = Copy(bytes.AsSpan(line.Start, line.Length + 2), span, n);
            }
        }

        return n;
    }

    private static int Copy(ReadOnlySpan<byte> source, Span<byte> span, int n)
    {
        source.CopyTo(span[n..]);
        return n + source.Length;
    }
}
