namespace Cloud.Proxy.Tests.Integration;

/// <summary>
/// A request body of <c>length</c> bytes that sends <c>firstPart</c> bytes, then waits for
/// <c>gate</c> (the backend saying it has received bytes) before sending the rest. Through a proxy
/// that buffered the body this would never complete.
/// </summary>
internal sealed class GatedStream(long length, long firstPart, Task gate) : Stream
{
    private static readonly TimeSpan GateTimeout = TimeSpan.FromSeconds(30);
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("async only");

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= firstPart)
        {
            await gate.WaitAsync(GateTimeout, cancellationToken);
        }

        var count = (int)Math.Min(buffer.Length, length - _position);
        if (_position < firstPart)
        {
            count = (int)Math.Min(count, firstPart - _position);
        }

        buffer.Span[..count].Fill((byte)'x');
        _position += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
