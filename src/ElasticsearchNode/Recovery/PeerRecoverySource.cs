using System.Buffers;
using Cloud.ElasticsearchNode.Cluster;
using Cloud.ElasticsearchNode.Cluster.Coordination;
using Cloud.ElasticsearchNode.Cluster.Transport;

namespace Cloud.ElasticsearchNode.Recovery;

/// <summary>The active copy on another node as a recovery source, over the transport.</summary>
internal sealed class PeerRecoverySource(TransportService transport, string address, string indexUuid, int shard, string targetAllocationId) : IShardRecoverySource
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private string? _recoveryId;

    public async Task<StartRecoveryResponse> StartAsync(CancellationToken cancellationToken)
    {
        var response = await transport.SendAsync<StartRecoveryRequest, StartRecoveryResponse>(address, RecoveryActions.Start,
            new StartRecoveryRequest(indexUuid, shard, targetAllocationId), Timeout, cancellationToken).ConfigureAwait(false);
        _recoveryId = response.RecoveryId;
        return response;
    }

    public async Task<IMemoryOwner<byte>> ReadAsync(string file, long offset, int length, CancellationToken cancellationToken)
    {
        var (response, attachment) = await transport.SendForAttachmentAsync<RecoveryChunkRequest, RecoveryChunkResponse>(address, RecoveryActions.Chunk,
            new RecoveryChunkRequest(Id, file, offset, length), Timeout, cancellationToken).ConfigureAwait(false);
        attachment ??= TransportAttachment.Rent(0);
        if (attachment.Length != response.Length)
        {
            attachment.Dispose();
            throw new InvalidDataException($"recovery source announced {response.Length} bytes of [{file}] at {offset} and sent {attachment.Length}");
        }

        return attachment;
    }

    public Task<RecoveryOperationsResponse> OperationsAsync(long afterSeqNo, CancellationToken cancellationToken) =>
        transport.SendAsync<RecoveryOperationsRequest, RecoveryOperationsResponse>(address, RecoveryActions.Operations,
            new RecoveryOperationsRequest(Id, afterSeqNo, 2000), Timeout, cancellationToken);

    /// <summary>
    /// Ends the recovery on the source and waits for its answer: for a primary relocation that is the hand-off
    /// (the source stops writing and drains its writes in flight), so a failure here fails the recovery.
    /// </summary>
    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        var id = Id;
        _recoveryId = null;
        await transport.SendAsync<FinishRecoveryRequest, Empty>(address, RecoveryActions.Finish, new FinishRecoveryRequest(id), Timeout, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_recoveryId is null)
        {
            return;
        }

        try
        {
            await transport.SendAsync<FinishRecoveryRequest, Empty>(address, RecoveryActions.Finish, new FinishRecoveryRequest(_recoveryId), null, CancellationToken.None).ConfigureAwait(false);
        }
        catch (TransportException)
        {
            // The source forgets a recovery whose target went quiet (RecoverySourceService's expiry).
        }
    }

    private string Id => _recoveryId ?? throw new InvalidOperationException("recovery not started");
}
