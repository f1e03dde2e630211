using System.Buffers.Binary;
using System.Text;

namespace Cloud.ZooKeeper.Jute;

/// <summary>Reads jute records (big-endian) from one received frame.</summary>
internal ref struct JuteReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public JuteReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public readonly int Remaining => _data.Length - _position;

    public int ReadInt()
    {
        var value = BinaryPrimitives.ReadInt32BigEndian(Take(4));
        return value;
    }

    public long ReadLong() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

    public bool ReadBool() => Take(1)[0] != 0;

    public byte[]? ReadBuffer()
    {
        var length = ReadInt();
        return length < 0 ? null : Take(length).ToArray();
    }

    public string? ReadString()
    {
        var length = ReadInt();
        return length < 0 ? null : Encoding.UTF8.GetString(Take(length));
    }

    public List<string> ReadStringVector()
    {
        var count = ReadInt();
        var result = new List<string>(Math.Max(count, 0));
        for (var i = 0; i < count; i++)
        {
            result.Add(ReadString() ?? string.Empty);
        }

        return result;
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || _position + count > _data.Length)
        {
            throw new JuteFormatException($"Frame too short: needed {count} bytes at offset {_position}, frame has {_data.Length}.");
        }

        var slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }
}
