using System.Buffers;
using System.Text;
using Cloud.Proxy.FastPath;
using FluentAssertions;
using Xunit;

namespace Cloud.Proxy.Tests.FastPath;

public sealed class ChunkedScannerTests
{
    private const string Body = "5;ext=\"a b\"\r\nhello\r\nA\r\n0123456789\r\n0\r\nX-Trailer: 1\r\nX-Other: 2\r\n\r\n";

    [Fact]
    public void Scan_WholeBodyThenMore_StopsAtItsEnd()
    {
        var scanner = default(ChunkedScanner);

        var consumed = scanner.Scan(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(Body + "GET / HTTP/1.1\r\n")));

        consumed.Should().Be(Body.Length);
        scanner.IsDone.Should().BeTrue();
    }

    [Fact]
    public void Scan_SplitAtEveryByte_FindsTheSameEnd()
    {
        var bytes = Encoding.ASCII.GetBytes(Body + "next");
        for (var split = 1; split < bytes.Length; split++)
        {
            var scanner = default(ChunkedScanner);
            var first = scanner.Scan(new ReadOnlySequence<byte>(bytes, 0, Math.Min(split, Body.Length)));
            first.Should().Be(Math.Min(split, Body.Length));
            var second = scanner.IsDone ? 0 : scanner.Scan(new ReadOnlySequence<byte>(bytes, (int)first, bytes.Length - (int)first));
            (first + second).Should().Be(Body.Length, $"split at {split}");
            scanner.IsDone.Should().BeTrue();
        }
    }

    [Theory]
    [InlineData("x\r\nhello\r\n")]
    [InlineData("5\r\nhelloXX")]
    [InlineData("5\nhello\r\n")]
    [InlineData("\r\n")]
    [InlineData("1000000000000000\r\n")]
    public void Scan_BrokenFraming_MinusOne(string body)
    {
        var scanner = default(ChunkedScanner);

        scanner.Scan(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(body))).Should().Be(-1);
    }

    [Fact]
    public void Scan_Incomplete_ConsumesAllAndIsNotDone()
    {
        var scanner = default(ChunkedScanner);

        scanner.Scan(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("5\r\nhel"))).Should().Be(6);
        scanner.IsDone.Should().BeFalse();
    }
}
