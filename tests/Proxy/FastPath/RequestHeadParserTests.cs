using System.Text;
using Cloud.Proxy.FastPath;
using FluentAssertions;
using Xunit;

namespace Cloud.Proxy.Tests.FastPath;

public sealed class RequestHeadParserTests
{
    private static RequestHead Head(string text)
    {
        var head = new RequestHead();
        var bytes = Encoding.ASCII.GetBytes(text);
        head.EnsureCapacity(bytes.Length);
        bytes.CopyTo(head.Bytes, 0);
        head.Length = bytes.Length;
        return head;
    }

    [Fact]
    public void TryParse_PlainGet_RoutingHeadersAndLines()
    {
        var head = Head("GET /idx/_search?q=1 HTTP/1.1\r\nHost: c1.localhost:9200\r\nX-Found-Cluster:  c1 \r\nX-Forwarded-For: 10.0.0.1\r\nAccept: */*\r\n\r\n");

        RequestHeadParser.TryParse(head).Should().BeTrue();

        Encoding.ASCII.GetString(head.Method).Should().Be("GET");
        Encoding.ASCII.GetString(head.Slice(head.Target)).Should().Be("/idx/_search?q=1");
        Encoding.ASCII.GetString(head.Path).Should().Be("/idx/_search");
        Encoding.ASCII.GetString(head.Slice(head.Host)).Should().Be("c1.localhost:9200");
        head.ClusterHeaderCount.Should().Be(1);
        Encoding.ASCII.GetString(head.Slice(head.ClusterHeader(0))).Should().Be("c1");
        Encoding.ASCII.GetString(head.Slice(head.ForwardedFor)).Should().Be("10.0.0.1");
        head.ContentLength.Should().Be(-1);
        head.HasBody.Should().BeFalse();
        head.Lines[..head.LineCount].Count(l => !l.Drop).Should().Be(3, "Host is replaced; the others pass");
    }

    [Fact]
    public void TryParse_ConnectionNamesHeaders_ThoseAndTheStandardHopByHopDropped()
    {
        var head = Head("POST /_bulk HTTP/1.1\r\nHost: c1.localhost\r\nConnection: close, X-Hop\r\nX-Hop: 1\r\nKeep-Alive: 5\r\nTE: trailers\r\nContent-Length: 10\r\nX-Keep: 2\r\n\r\n");

        RequestHeadParser.TryParse(head).Should().BeTrue();

        head.Close.Should().BeTrue();
        head.ContentLength.Should().Be(10);
        var passed = head.Lines[..head.LineCount].Where(l => !l.Drop).Select(l => Encoding.ASCII.GetString(head.Bytes, l.Start, l.NameLength)).ToArray();
        passed.Should().Equal("Content-Length", "X-Keep");
    }

    [Theory]
    [InlineData("GET / HTTP/1.0\r\nHost: a\r\n\r\n", "HTTP/1.0")]
    [InlineData("GET http://a/ HTTP/1.1\r\nHost: a\r\n\r\n", "absolute form")]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "HTTP/2 preface")]
    [InlineData("GET / HTTP/1.1\r\n\r\n", "no Host")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "two Hosts")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n", "upgrade")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nUpgrade: h2c\r\n\r\n", "upgrade header alone")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\n", "Expect")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", "both framings")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", "other coding")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n", "two lengths")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", "bad length")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n folded\r\n\r\n", "obs-fold")]
    [InlineData("GET / HTTP/1.1\r\nHost : a\r\n\r\n", "space before colon")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\n2\r\n\r\n", "bare LF")]
    [InlineData("get / HTTP/1.1\r\nHost: a\r\n\r\n", "lower-case method")]
    public void TryParse_WhatTheFastPathLeavesToKestrel_False(string text, string why)
    {
        RequestHeadParser.TryParse(Head(text)).Should().BeFalse(why);
    }
}
