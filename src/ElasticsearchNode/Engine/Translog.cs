using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Cloud.ElasticsearchNode.Engine;

/// <summary>
/// The shard's write-ahead log: every operation is appended before it is acknowledged and fsynced once
/// per request (concurrent requests share one fsync), so an acknowledged write survives a kill even
/// though Lucene only commits on flush. A flush rolls to a new generation and drops the ones its commit covers.
/// Records are <c>[length][payload][crc32]</c>; a torn tail is ignored on replay.
/// </summary>
internal sealed class Translog : IDisposable
{
    private const string Prefix = "translog-";
    private const string Suffix = ".tlog";
    private readonly string _directory;
    private readonly Lock _writeGate = new();
    private readonly SemaphoreSlim _syncGate = new(1, 1);
    private FileStream _current;
    private long _generation;
    private long _written;
    private long _synced;
    private long _sizeOfOlderGenerations;

    private Translog(string directory, long generation, long sizeOfOlder)
    {
        _directory = directory;
        _generation = generation;
        _sizeOfOlderGenerations = sizeOfOlder;
        _current = OpenGeneration(generation);
    }

    public long Generation
    {
        get
        {
            lock (_writeGate)
            {
                return _generation;
            }
        }
    }

    public long SizeInBytes
    {
        get
        {
            lock (_writeGate)
            {
                return _sizeOfOlderGenerations + _current.Length;
            }
        }
    }

    /// <summary>Opens the translog in a directory and starts a fresh generation after the existing ones.</summary>
    public static Translog Open(string directory)
    {
        Directory.CreateDirectory(directory);
        var generations = Generations(directory);
        var size = generations.Sum(g => new FileInfo(PathOf(directory, g)).Length);
        return new Translog(directory, generations.Count == 0 ? 1 : generations[^1] + 1, size);
    }

    /// <summary>Every operation in every generation, oldest first (what a restart replays).</summary>
    public IReadOnlyList<ShardOperation> ReadAll()
    {
        List<long> generations;
        lock (_writeGate)
        {
            _current.Flush();
            generations = Generations(_directory);
        }

        var operations = new List<ShardOperation>();
        foreach (var generation in generations)
        {
            ReadGeneration(PathOf(_directory, generation), operations);
        }

        return operations;
    }

    /// <summary>Appends one operation; returns the location to pass to <see cref="SyncAsync"/>.</summary>
    public long Append(ShardOperation operation)
    {
        var length = EncodedLength(operation);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            Encode(operation, buffer.AsSpan(0, length));
            lock (_writeGate)
            {
                _current.Write(buffer, 0, length);
                _written += length;
                return _written;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Makes everything up to <paramref name="location"/> durable; one fsync serves every caller waiting.</summary>
    public async Task SyncAsync(long location, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _synced) >= location)
        {
            return;
        }

        await _syncGate.WaitAsync(cancellationToken);
        try
        {
            if (Volatile.Read(ref _synced) >= location)
            {
                return;
            }

            SafeFileHandle handle;
            long upTo;
            lock (_writeGate)
            {
                _current.Flush();
                handle = _current.SafeFileHandle;
                upTo = _written;
            }

            RandomAccess.FlushToDisk(handle);
            Volatile.Write(ref _synced, upTo);
        }
        finally
        {
            _syncGate.Release();
        }
    }

    /// <summary>Starts a new generation (the caller has made the older ones redundant with a Lucene commit).</summary>
    public long Roll()
    {
        _syncGate.Wait();
        try
        {
            lock (_writeGate)
            {
                _current.Flush(flushToDisk: true);
                _synced = _written;
                _sizeOfOlderGenerations += _current.Length;
                _current.Dispose();
                _generation++;
                _current = OpenGeneration(_generation);
                return _generation;
            }
        }
        finally
        {
            _syncGate.Release();
        }
    }

    /// <summary>Deletes the generations older than <paramref name="generation"/>.</summary>
    public void TrimBelow(long generation)
    {
        lock (_writeGate)
        {
            foreach (var old in Generations(_directory).Where(g => g < generation))
            {
                var path = PathOf(_directory, old);
                _sizeOfOlderGenerations -= new FileInfo(path).Length;
                File.Delete(path);
            }
        }
    }

    public void Dispose()
    {
        lock (_writeGate)
        {
            _current.Flush(flushToDisk: true);
            _current.Dispose();
        }

        _syncGate.Dispose();
    }

    private FileStream OpenGeneration(long generation) =>
        new(PathOf(_directory, generation), FileMode.Append, FileAccess.Write, FileShare.Read, 1 << 16);

    private static string PathOf(string directory, long generation) =>
        Path.Combine(directory, Prefix + generation.ToString(CultureInfo.InvariantCulture) + Suffix);

    private static List<long> Generations(string directory) =>
        [.. Directory.EnumerateFiles(directory, Prefix + "*" + Suffix)
            .Select(f => Path.GetFileName(f)[Prefix.Length..^Suffix.Length])
            .Select(s => long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var g) ? g : -1)
            .Where(g => g >= 0)
            .Order()];

    /// <summary>The record's size: <c>[length][kind, seq_no, term, version][id][routing][source][crc32]</c>.</summary>
    private static int EncodedLength(ShardOperation operation) =>
        8 + PayloadLength(operation);

    private static int PayloadLength(ShardOperation operation) =>
        1 + 24 + 4 + Encoding.UTF8.GetByteCount(operation.Id) + 4 + (operation.Routing is null ? 0 : Encoding.UTF8.GetByteCount(operation.Routing)) + 4 + operation.Source.Length;

    private static void Encode(ShardOperation operation, Span<byte> span)
    {
        var payloadLength = span.Length - 8;
        BinaryPrimitives.WriteInt32LittleEndian(span, payloadLength);
        var payload = span.Slice(4, payloadLength);
        var p = payload;
        p[0] = (byte)operation.Kind;
        BinaryPrimitives.WriteInt64LittleEndian(p[1..], operation.SeqNo);
        BinaryPrimitives.WriteInt64LittleEndian(p[9..], operation.PrimaryTerm);
        BinaryPrimitives.WriteInt64LittleEndian(p[17..], operation.Version);
        p = p[25..];
        var idLength = Encoding.UTF8.GetBytes(operation.Id, p[4..]);
        BinaryPrimitives.WriteInt32LittleEndian(p, idLength);
        p = p[(4 + idLength)..];
        if (operation.Routing is null)
        {
            BinaryPrimitives.WriteInt32LittleEndian(p, -1);
            p = p[4..];
        }
        else
        {
            var routingLength = Encoding.UTF8.GetBytes(operation.Routing, p[4..]);
            BinaryPrimitives.WriteInt32LittleEndian(p, routingLength);
            p = p[(4 + routingLength)..];
        }

        BinaryPrimitives.WriteInt32LittleEndian(p, operation.Source.Length);
        operation.Source.Span.CopyTo(p[4..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[(4 + payloadLength)..], Crc32.Compute(payload));
    }

    private static void ReadGeneration(string path, List<ShardOperation> into)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return;
        }

        var span = bytes.AsSpan();
        while (span.Length >= 8)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(span);
            if (length < 37 || length + 8 > span.Length)
            {
                return;
            }

            var payload = span.Slice(4, length);
            if (Crc32.Compute(payload) != BinaryPrimitives.ReadUInt32LittleEndian(span[(4 + length)..]))
            {
                return;
            }

            into.Add(Decode(payload));
            span = span[(length + 8)..];
        }
    }

    private static ShardOperation Decode(ReadOnlySpan<byte> p)
    {
        var kind = (OperationKind)p[0];
        var seqNo = BinaryPrimitives.ReadInt64LittleEndian(p[1..]);
        var term = BinaryPrimitives.ReadInt64LittleEndian(p[9..]);
        var version = BinaryPrimitives.ReadInt64LittleEndian(p[17..]);
        p = p[25..];
        var idLength = BinaryPrimitives.ReadInt32LittleEndian(p);
        var id = Encoding.UTF8.GetString(p.Slice(4, idLength));
        p = p[(4 + idLength)..];
        var routingLength = BinaryPrimitives.ReadInt32LittleEndian(p);
        var routing = routingLength < 0 ? null : Encoding.UTF8.GetString(p.Slice(4, routingLength));
        p = p[(4 + Math.Max(0, routingLength))..];
        var sourceLength = BinaryPrimitives.ReadInt32LittleEndian(p);
        return new ShardOperation(kind, id, seqNo, term, version, routing, p.Slice(4, sourceLength).ToArray());
    }
}
