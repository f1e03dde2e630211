using System.Buffers;

namespace Cloud.ElasticsearchNode.Recovery;

/// <summary>
/// Where a shard copy's data comes from: the files of one commit, then the operations after it. A peer
/// (the primary over the transport) is one source; a directory of files (a snapshot) can be another.
/// </summary>
internal interface IShardRecoverySource : IAsyncDisposable
{
    /// <summary>Pins a commit; its files and the sequence number up to which it holds every operation.</summary>
    Task<StartRecoveryResponse> StartAsync(CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="length"/> bytes of <paramref name="file"/> at <paramref name="offset"/>, in a buffer the caller disposes.</summary>
    Task<IMemoryOwner<byte>> ReadAsync(string file, long offset, int length, CancellationToken cancellationToken);

    /// <summary>Operations after <paramref name="afterSeqNo"/> in order (none for a source without history).</summary>
    Task<RecoveryOperationsResponse> OperationsAsync(long afterSeqNo, CancellationToken cancellationToken);
}
