using System.Buffers.Binary;
using System.Numerics;

namespace Cloud.ElasticsearchNode.Engine;

/// <summary>
/// MurmurHash3 x86 32-bit over the UTF-16 code units of a string (low byte first), seed 0: the hash
/// Elasticsearch routes documents with, so a document lands on the shard Elasticsearch would pick.
/// </summary>
internal static class Murmur3
{
    private const uint C1 = 0xcc9e2d51;
    private const uint C2 = 0x1b873593;

    public static int Hash(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Span<byte> buffer = value.Length <= 256 ? stackalloc byte[value.Length * 2] : new byte[value.Length * 2];
        for (var i = 0; i < value.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(buffer[(i * 2)..], value[i]);
        }

        return Hash(buffer, 0);
    }

    public static int Hash(ReadOnlySpan<byte> data, uint seed)
    {
        var h1 = seed;
        var blocks = data.Length / 4;
        for (var i = 0; i < blocks; i++)
        {
            var k1 = BinaryPrimitives.ReadUInt32LittleEndian(data[(i * 4)..]);
            k1 *= C1;
            k1 = BitOperations.RotateLeft(k1, 15);
            k1 *= C2;
            h1 ^= k1;
            h1 = BitOperations.RotateLeft(h1, 13);
            h1 = (h1 * 5) + 0xe6546b64;
        }

        var tail = data[(blocks * 4)..];
        uint k = 0;
        switch (tail.Length)
        {
            case 3:
                k ^= (uint)tail[2] << 16;
                goto case 2;
            case 2:
                k ^= (uint)tail[1] << 8;
                goto case 1;
            case 1:
                k ^= tail[0];
                k *= C1;
                k = BitOperations.RotateLeft(k, 15);
                k *= C2;
                h1 ^= k;
                break;
        }

        h1 ^= (uint)data.Length;
        h1 ^= h1 >> 16;
        h1 *= 0x85ebca6b;
        h1 ^= h1 >> 13;
        h1 *= 0xc2b2ae35;
        h1 ^= h1 >> 16;
        return unchecked((int)h1);
    }
}
