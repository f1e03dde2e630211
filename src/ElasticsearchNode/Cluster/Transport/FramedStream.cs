using System.Buffers.Binary;
using System.Text.Json;

namespace Cloud.ElasticsearchNode.Cluster.Transport;

/// <summary>
/// Length-prefixed frames over one TCP stream: a 4-byte big-endian length, then the JSON envelope. A frame
/// with an attachment sets the length's top bit and carries <c>[4-byte JSON length][JSON][raw bytes]</c>,
/// so bulk data (file chunks) crosses without base64 or a copy into the JSON. Writes are serialised so
/// concurrent senders never interleave frames.
/// </summary>
internal sealed class FramedStream(Stream stream, int maxFrameBytes) : IAsyncDisposable
{
    private const int AttachmentFlag = unchecked((int)0x80000000);
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    public Task WriteAsync(TransportEnvelope envelope, CancellationToken cancellationToken) =>
        WriteAsync(envelope, ReadOnlyMemory<byte>.Empty, cancellationToken);

    public async Task WriteAsync(TransportEnvelope envelope, ReadOnlyMemory<byte> attachment, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(envelope, ClusterJson.Options);
        var headerBytes = attachment.IsEmpty ? 4 : 8;
        var frameLength = (long)json.Length + (attachment.IsEmpty ? 0 : 4 + attachment.Length);
        if (frameLength > maxFrameBytes)
        {
            throw new TransportException("transport_exception", $"frame of {frameLength} bytes exceeds the limit of {maxFrameBytes}");
        }

        // Header and JSON leave in one write (with no delay on the socket, separate writes are separate packets).
        var head = new byte[headerBytes + json.Length];
        if (attachment.IsEmpty)
        {
            BinaryPrimitives.WriteInt32BigEndian(head, json.Length);
        }
        else
        {
            BinaryPrimitives.WriteInt32BigEndian(head, (int)frameLength | AttachmentFlag);
            BinaryPrimitives.WriteInt32BigEndian(head.AsSpan(4), json.Length);
        }

        json.CopyTo(head, headerBytes);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Once started, a frame is written whole: a cancelled half-frame would corrupt the stream.
            await stream.WriteAsync(head, CancellationToken.None).ConfigureAwait(false);
            if (!attachment.IsEmpty)
            {
                await stream.WriteAsync(attachment, CancellationToken.None).ConfigureAwait(false);
            }

            await stream.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>The next frame, or null when the peer closed the connection. The caller owns the frame's attachment.</summary>
    public async Task<TransportFrame?> ReadAsync(CancellationToken cancellationToken)
    {
        var header = new byte[4];
        if (!await FillAsync(header, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var word = BinaryPrimitives.ReadInt32BigEndian(header);
        var hasAttachment = (word & AttachmentFlag) != 0;
        var length = word & ~AttachmentFlag;
        if (length <= 0 || length > maxFrameBytes)
        {
            throw new TransportException("transport_exception", $"invalid frame length {length}");
        }

        var jsonLength = length;
        if (hasAttachment)
        {
            if (!await FillAsync(header, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            jsonLength = BinaryPrimitives.ReadInt32BigEndian(header);
            if (jsonLength <= 0 || jsonLength > length - 4)
            {
                throw new TransportException("transport_exception", $"invalid frame: JSON of {jsonLength} bytes in a frame of {length}");
            }
        }

        var json = new byte[jsonLength];
        if (!await FillAsync(json, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var envelope = JsonSerializer.Deserialize<TransportEnvelope>(json, ClusterJson.Options)
            ?? throw new TransportException("transport_exception", "empty frame");
        if (!hasAttachment)
        {
            return new TransportFrame(envelope, null);
        }

        var attachment = TransportAttachment.Rent(length - 4 - jsonLength);
        try
        {
            if (!await FillAsync(attachment.Memory, cancellationToken).ConfigureAwait(false))
            {
                attachment.Dispose();
                return null;
            }
        }
        catch
        {
            attachment.Dispose();
            throw;
        }

        return new TransportFrame(envelope, attachment);
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
