namespace Cloud.ElasticsearchNode.Hosting;

/// <summary>
/// Whether a lone node has recovered its local state (cluster metadata read, every shard opened and its translog
/// replayed) since the process started. The node answers <c>GET /</c> as soon as HTTP is bound, as Elasticsearch does,
/// and recovers in the background: a start after <c>docker kill</c> may replay a large translog, and the platform's
/// start target (answering within a second) must not wait for it. A node of a multi-node cluster is recovered from the
/// start here: there the cluster layer's own state-not-recovered block says what it knows.
/// </summary>
internal sealed class StartupRecovery
{
    private readonly TaskCompletionSource _recovered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public StartupRecovery(bool recovered)
    {
        if (recovered)
        {
            _recovered.SetResult();
        }
    }

    public bool IsRecovered => _recovered.Task.IsCompletedSuccessfully;

    public void MarkRecovered() => _recovered.TrySetResult();

    /// <summary>The recovery failed (the host stops): requests waiting for it are answered as unavailable.</summary>
    public void MarkFailed(Exception exception) => _recovered.TrySetException(exception);

    /// <summary>True once recovered; false when <paramref name="timeout"/> passed first or the recovery failed.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await _recovered.Task.WaitAsync(timeout, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        catch (Exception) when (_recovered.Task.IsFaulted)
        {
            return false;
        }
    }
}
