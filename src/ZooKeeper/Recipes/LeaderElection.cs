using System.Text;

namespace Cloud.ZooKeeper.Recipes;

/// <summary>
/// Leader election among participants sharing <c>path</c>: the one with the lowest ephemeral sequential
/// node leads. Each participant's node holds its id, so <see cref="GetLeaderIdAsync"/> tells who leads.
/// </summary>
public sealed class LeaderElection
{
    private readonly ZooKeeperClient _client;
    private readonly string _path;
    private readonly string _participantId;
    private readonly SequentialNodeQueue _queue;

    public LeaderElection(ZooKeeperClient client, string path, string participantId)
    {
        ArgumentNullException.ThrowIfNull(client);
        PathValidator.Validate(path);
        ArgumentException.ThrowIfNullOrEmpty(participantId);
        _client = client;
        _path = path;
        _participantId = participantId;
        _queue = new SequentialNodeQueue(client, path, "leader", Encoding.UTF8.GetBytes(participantId));
    }

    /// <summary>
    /// Waits until this participant leads. The returned <see cref="Leadership"/> is lost (its token cancelled)
    /// when the connection drops, the session expires or the node disappears; dispose it to hand over.
    /// </summary>
    public async Task<Leadership> AcquireAsync(CancellationToken cancellationToken = default)
    {
        // One queue per participant: after a lost connection the same node (if the session survived) is found again.
        var node = await _queue.EnterAsync(cancellationToken).ConfigureAwait(false);
        var leadership = new Leadership(_client, _queue, node, _participantId);
        await leadership.WatchAsync(cancellationToken).ConfigureAwait(false);
        return leadership;
    }

    /// <summary>The id of the current leader, or null when nobody leads.</summary>
    public async Task<string?> GetLeaderIdAsync(CancellationToken cancellationToken = default)
    {
        var queue = new SequentialNodeQueue(_client, _path, "leader", []);
        if (await _client.ExistsAsync(_path, null, cancellationToken).ConfigureAwait(false) is null)
        {
            return null;
        }

        foreach (var name in await queue.OrderedAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                var data = await _client.GetDataAsync(ZPaths.Combine(_path, name), null, cancellationToken).ConfigureAwait(false);
                return Encoding.UTF8.GetString(data.Data);
            }
            catch (NoNodeException)
            {
            }
        }

        return null;
    }
}
