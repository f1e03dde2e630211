namespace Cloud.ZooKeeper.Recipes;

/// <summary>
/// Held leadership. <see cref="Lost"/> is cancelled as soon as leadership can no longer be trusted:
/// the connection dropped (another participant may take over if the session then expires), the session
/// expired, the client closed, or the node was deleted. Disposing deletes the node so the next
/// participant takes over at once.
/// </summary>
public sealed class Leadership : IAsyncDisposable
{
    private readonly ZooKeeperClient _client;
    private readonly SequentialNodeQueue _queue;
    private readonly CancellationTokenSource _lost = new();
    private int _disposed;

    internal Leadership(ZooKeeperClient client, SequentialNodeQueue queue, string node, string participantId)
    {
        _client = client;
        _queue = queue;
        NodePath = node;
        ParticipantId = participantId;
        SessionId = client.SessionId;
        _client.ConnectionStateChanged += OnConnectionStateChanged;
    }

    public string ParticipantId { get; }

    public string NodePath { get; }

    public long SessionId { get; }

    public CancellationToken Lost => _lost.Token;

    public bool IsLost => _lost.IsCancellationRequested;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _client.ConnectionStateChanged -= OnConnectionStateChanged;
        MarkLost();
        if (_client.SessionId == SessionId)
        {
            await _queue.DeleteQuietlyAsync(NodePath).ConfigureAwait(false);
        }

        _lost.Dispose();
    }

    internal async Task WatchAsync(CancellationToken cancellationToken)
    {
        var watcher = Watcher.Create(e =>
        {
            if (e.Type is EventType.NodeDeleted or EventType.None)
            {
                MarkLost();
            }

            return Task.CompletedTask;
        });
        if (await _client.ExistsAsync(NodePath, watcher, cancellationToken).ConfigureAwait(false) is null || _client.SessionId != SessionId)
        {
            MarkLost();
        }
    }

    private void OnConnectionStateChanged(ConnectionStateChange change)
    {
        if (change.State is ConnectionState.Disconnected or ConnectionState.Expired or ConnectionState.Closed || change.SessionId != SessionId)
        {
            MarkLost();
        }
    }

    private void MarkLost()
    {
        if (Volatile.Read(ref _disposed) != 0 && _lost.IsCancellationRequested)
        {
            return;
        }

        try
        {
            _lost.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
