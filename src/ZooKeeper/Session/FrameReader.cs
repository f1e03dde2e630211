using System.Buffers.Binary;
using System.Net.Sockets;

namespace Cloud.ZooKeeper.Session;

/// <summary>Reads length-prefixed frames from the socket through one reusable buffer.</summary>
internal sealed class FrameReader(NetworkStream stream, int maxFrameLength)
{
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    /// <summary>Returns the next frame; the memory is valid until the next call.</summary>
    public async ValueTask<ReadOnlyMemory<byte>> ReadFrameAsync(CancellationToken cancellationToken)
    {
        await EnsureAsync(4, cancellationToken).ConfigureAwait(false);
        var length = BinaryPrimitives.ReadInt32BigEndian(_buffer.AsSpan(_start, 4));
        if (length < 0 || length > maxFrameLength)
        {
            throw new IOException($"Received a frame of {length} bytes; the limit is {maxFrameLength}.");
        }

        await EnsureAsync(4 + length, cancellationToken).ConfigureAwait(false);
        var frame = _buffer.AsMemory(_start + 4, length);
        _start += 4 + length;
        return frame;
    }

    private async ValueTask EnsureAsync(int count, CancellationToken cancellationToken)
    {
        if (_end - _start >= count)
        {
            return;
        }

        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(count, _buffer.Length * 2));
        }

        while (_end < count)
        {
            var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new EndOfStreamException("The ZooKeeper server closed the connection.");
            }

            _end += read;
        }
    }
}
