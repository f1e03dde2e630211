using System.Buffers.Binary;
using System.IO.Hashing;

namespace Cloud.ElasticsearchNode.Recovery;

/// <summary>
/// Checks a copied Lucene file against its own footer while its chunks are written, as Elasticsearch verifies
/// recovered files: Lucene 4.8 ends every file of a commit with a 16-byte footer (magic, algorithm 0, then the
/// CRC-32 of every byte before the checksum), so a byte changed on the source's disk or on the way fails the
/// recovery before the shard opens. A file without that footer is copied unchecked.
/// </summary>
internal sealed class FooterChecksum(string name, long length)
{
    private const int FooterLength = 16;
    private const uint FooterMagic = ~0x3fd76c17u;
    private readonly Crc32 _crc = new();
    private readonly byte[] _footer = new byte[FooterLength];
    private long _position;

    /// <summary>The next bytes of the file, in order.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        var hashedEnd = length - 8;
        if (_position < hashedEnd)
        {
            _crc.Append(data[..(int)Math.Min(data.Length, hashedEnd - _position)]);
        }

        var footerStart = Math.Max(0, length - FooterLength);
        var end = _position + data.Length;
        if (end > footerStart)
        {
            var from = Math.Max(_position, footerStart);
            data[(int)(from - _position)..].CopyTo(_footer.AsSpan((int)(from - footerStart)));
        }

        _position = end;
    }

    /// <summary>Throws when the file has a Lucene footer whose checksum does not match the bytes before it.</summary>
    public void Verify()
    {
        if (_position != length)
        {
            throw new InvalidDataException($"recovered [{name}] has {_position} bytes, {length} expected");
        }

        if (length < FooterLength || BinaryPrimitives.ReadUInt32BigEndian(_footer) != FooterMagic || BinaryPrimitives.ReadInt32BigEndian(_footer.AsSpan(4)) != 0)
        {
            return;
        }

        var expected = BinaryPrimitives.ReadInt64BigEndian(_footer.AsSpan(8));
        var actual = _crc.GetCurrentHashAsUInt32();
        if (expected != actual)
        {
            throw new InvalidDataException($"recovered [{name}] is corrupt: checksum {actual:x8}, its footer says {expected:x8}");
        }
    }
}
