using Cloud.ElasticsearchNode.Errors;
using Cloud.ElasticsearchNode.Hosting;

namespace Cloud.ElasticsearchNode.Rest;

/// <summary>
/// Holds a request to a lone node that is still recovering its local state (<see cref="StartupRecovery"/>) until the
/// recovery ends, a minute at most, as Elasticsearch holds a write behind a retryable block: answering from the empty
/// state would call an index that is only still opening missing. The root, health and node-level requests are answered
/// at once and say what is true meanwhile (health is red).
/// </summary>
internal sealed class RecoveryGate(StartupRecovery recovery)
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(1);
    private static readonly string[] AnsweredAtOnce = ["/_cluster/health", "/_cat/health", "/_nodes", "/_cat/nodes"];

    public async ValueTask WaitAsync(string path, CancellationToken cancellationToken)
    {
        if (recovery.IsRecovered || path == "/" || AnsweredAtOnce.Any(p => path.StartsWith(p, StringComparison.Ordinal)))
        {
            return;
        }

        if (!await recovery.WaitAsync(MaxWait, cancellationToken))
        {
            throw new ElasticsearchException("cluster_block_exception", "blocked by: [SERVICE_UNAVAILABLE/1/state not recovered / initialized];", 503);
        }
    }
}
