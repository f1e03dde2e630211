using System.Buffers;

namespace Cloud.ZooKeeper.Session;

/// <summary>
/// A serialized frame waiting for the send loop. Normal requests get their xid when sent;
/// pings, auth and SetWatches carry a reserved xid already.
/// </summary>
internal sealed class OutgoingPacket(byte[] buffer, int length, PendingRequest? pending, TaskCompletionSource? authCompletion = null, bool pooled = true)
{
    public byte[] Buffer { get; } = buffer;

    public int Length { get; } = length;

    public PendingRequest? Pending { get; } = pending;

    /// <summary>Non-null for an auth packet whose caller waits for the server's verdict.</summary>
    public TaskCompletionSource? AuthCompletion { get; } = authCompletion;

    public bool IsAuth { get; init; }

    public void Release()
    {
        if (pooled)
        {
            ArrayPool<byte>.Shared.Return(Buffer);
        }
    }
}
