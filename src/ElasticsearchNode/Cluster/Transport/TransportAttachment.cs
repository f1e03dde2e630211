using System.Buffers;

namespace Cloud.ElasticsearchNode.Cluster.Transport;

/// <summary>
/// Raw bytes that travel beside a frame's JSON (a file chunk of a recovery), never encoded: read from the
/// socket straight into a pooled buffer. Whoever receives one disposes it once the bytes are consumed.
/// </summary>
internal sealed class TransportAttachment : IMemoryOwner<byte>
{
    private byte[]? _buffer;

    private TransportAttachment(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; private set; }

    public Memory<byte> Memory => (_buffer ?? throw new ObjectDisposedException(nameof(TransportAttachment))).AsMemory(0, Length);

    /// <summary>A buffer of <paramref name="length"/> bytes from the shared pool, to fill.</summary>
    public static TransportAttachment Rent(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return new TransportAttachment(ArrayPool<byte>.Shared.Rent(length), length);
    }

    /// <summary>Keeps only the first <paramref name="length"/> bytes (a read that reached the end of a file).</summary>
    public void Truncate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Length);
        Length = length;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
