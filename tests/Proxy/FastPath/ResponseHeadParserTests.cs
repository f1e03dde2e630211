using System.Text;
using Cloud.Proxy.FastPath;
using FluentAssertions;
using Xunit;

namespace Cloud.Proxy.Tests.FastPath;

public sealed class ResponseHeadParserTests
{
    private static ResponseHead Head(string text)
    {
        var head = new ResponseHead();
        var bytes = Encoding.ASCII.GetBytes(text);
        head.EnsureCapacity(bytes.Length);
        bytes.CopyTo(head.Bytes, 0);
        head.Length = bytes.Length;
        return head;
    }

    private static string[] Passed(ResponseHead head) =>
        [.. head.Lines[..head.LineCount].Where(l => !l.Drop).Select(l => Encoding.ASCII.GetString(head.Bytes, l.Start, l.NameLength))];

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", false, nameof(BodyFraming.ContentLength), false)]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", false, nameof(BodyFraming.Chunked), false)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Type: a\r\n\r\n", false, nameof(BodyFraming.UntilClose), false)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", true, nameof(BodyFraming.None), false)]
    [InlineData("HTTP/1.1 204 No Content\r\n\r\n", false, nameof(BodyFraming.None), false)]
    [InlineData("HTTP/1.1 304 Not Modified\r\n\r\n", false, nameof(BodyFraming.None), false)]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\n", false, nameof(BodyFraming.ContentLength), true)]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\n", false, nameof(BodyFraming.ContentLength), true)]
    [InlineData("HTTP/1.1 200\r\nContent-Length: 1\r\n\r\n", false, nameof(BodyFraming.ContentLength), false)]
    public void TryParse_Framing(string text, bool headRequest, string framing, bool close)
    {
        var head = Head(text);

        ResponseHeadParser.TryParse(head).Should().BeTrue();

        head.Framing(headRequest).ToString().Should().Be(framing);
        head.Close.Should().Be(close);
    }

    [Fact]
    public void TryParse_HopByHopAndNamedInConnection_Dropped_ChunkedWinsOverLength()
    {
        var head = Head("HTTP/1.1 200 OK\r\nConnection: keep-alive, X-Hop\r\nX-Hop: 1\r\nKeep-Alive: timeout=5\r\nContent-Length: 9\r\nTransfer-Encoding: chunked\r\nX-Elastic-Product: Elasticsearch\r\nX-Found-Handling-Cluster: spoofed\r\n\r\n");

        ResponseHeadParser.TryParse(head).Should().BeTrue();

        Passed(head).Should().Equal("Transfer-Encoding", "X-Elastic-Product");
        head.Framing(headRequest: false).Should().Be(BodyFraming.Chunked);
        Encoding.ASCII.GetString(head.Bytes.AsSpan(head.Status)).Should().Be("200 OK");
    }

    [Theory]
    [InlineData("HTTP/2 200\r\n\r\n")]
    [InlineData("HTTP/1.1 2x0 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nBad Name: 1\r\n\r\n")]
    public void TryParse_NotRelayable_False(string text)
    {
        ResponseHeadParser.TryParse(Head(text)).Should().BeFalse();
    }
}
