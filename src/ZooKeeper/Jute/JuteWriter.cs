using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Cloud.ZooKeeper.Jute;

/// <summary>
/// Writes jute records (big-endian, length-prefixed buffers and strings) into a pooled,
/// growable buffer. The first four bytes are reserved for the frame length.
/// </summary>
internal sealed class JuteWriter : IDisposable
{
    private byte[] _buffer;
    private int _position;

    public JuteWriter(int initialCapacity = 256)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 16));
        _position = 4;
    }

    public int Length => _position;

    public void WriteInt(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(Reserve(4), value);
        _position += 4;
    }

    public void WriteLong(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(Reserve(8), value);
        _position += 8;
    }

    public void WriteBool(bool value)
    {
        Reserve(1)[0] = value ? (byte)1 : (byte)0;
        _position += 1;
    }

    public void WriteBuffer(ReadOnlySpan<byte> value)
    {
        WriteInt(value.Length);
        value.CopyTo(Reserve(value.Length));
        _position += value.Length;
    }

    public void WriteNullBuffer() => WriteInt(-1);

    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteInt(-1);
            return;
        }

        var byteCount = Encoding.UTF8.GetByteCount(value);
        WriteInt(byteCount);
        Encoding.UTF8.GetBytes(value, Reserve(byteCount));
        _position += byteCount;
    }

    public void WriteStringVector(IReadOnlyCollection<string> values)
    {
        WriteInt(values.Count);
        foreach (var value in values)
        {
            WriteString(value);
        }
    }

    /// <summary>Patches the frame length and hands the buffer over; the writer must not be used afterwards.</summary>
    public (byte[] Buffer, int Length) DetachFrame()
    {
        BinaryPrimitives.WriteInt32BigEndian(_buffer, _position - 4);
        var result = (_buffer, _position);
        _buffer = [];
        _position = 0;
        return result;
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    private Span<byte> Reserve(int count)
    {
        if (_position + count > _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _position + count));
            _buffer.AsSpan(0, _position).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        return _buffer.AsSpan(_position, count);
    }
}
