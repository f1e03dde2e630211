using System.Buffers.Binary;
using System.Text.Json;

namespace Cloud.ElasticsearchNode.Cluster.Transport;

/// <summary>
/// Length-prefixed JSON frames over one TCP stream: a 4-byte big-endian length, then the envelope.
/// Writes are serialised so concurrent senders never interleave frames.
/// </summary>
internal sealed class FramedStream(Stream stream, int maxFrameBytes) : IAsyncDisposable
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    public async Task WriteAsync(TransportEnvelope envelope, CancellationToken cancellationToken)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(envelope, ClusterJson.Options);
        if (payload.Length > maxFrameBytes)
        {
            throw new TransportException("transport_exception", $"frame of {payload.Length} bytes exceeds the limit of {maxFrameBytes}");
        }

        var header = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(header, payload.Length);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Once started, a frame is written whole: a cancelled half-frame would corrupt the stream.
            await stream.WriteAsync(header, CancellationToken.None).ConfigureAwait(false);
            await stream.WriteAsync(payload, CancellationToken.None).ConfigureAwait(false);
            await stream.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>The next frame, or null when the peer closed the connection.</summary>
    public async Task<TransportEnvelope?> ReadAsync(CancellationToken cancellationToken)
    {
        var header = new byte[4];
        if (!await FillAsync(header, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(header);
        if (length <= 0 || length > maxFrameBytes)
        {
            throw new TransportException("transport_exception", $"invalid frame length {length}");
        }

        var payload = new byte[length];
        if (!await FillAsync(payload, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return JsonSerializer.Deserialize<TransportEnvelope>(payload, ClusterJson.Options)
            ?? throw new TransportException("transport_exception", "empty frame");
    }

    public async ValueTask DisposeAsync()
    {
        await stream.DisposeAsync().ConfigureAwait(false);
        _writeLock.Dispose();
    }

    private async Task<bool> FillAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer[read..], cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }
}
