using System.Collections.Concurrent;
using System.Diagnostics;
using Cloud.ElasticsearchNode.Cluster.State;

namespace Cloud.ElasticsearchNode.Recovery;

/// <summary>The recoveries this node ran as target (the last per shard), for <c>_cat/recovery</c>.</summary>
internal sealed class RecoveryTracker
{
    private readonly ConcurrentDictionary<(string Index, int Shard), Entry> _entries = new();

    public IEnumerable<Entry> All => _entries.Values;

    public Entry Begin(ShardRouting copy, ClusterState state)
    {
        ArgumentNullException.ThrowIfNull(copy);
        ArgumentNullException.ThrowIfNull(state);
        var target = copy.NodeId is { } id && state.Nodes.TryGetValue(id, out var node) ? node.Name : copy.NodeId ?? "";
        var entry = new Entry(copy.Index, copy.Shard, copy.IsRelocationTarget ? "peer" : copy.Primary ? "existing_store" : "peer", target);
        _entries[(copy.Index, copy.Shard)] = entry;
        return entry;
    }

    /// <summary>One recovery; its figures change while it runs.</summary>
    internal sealed class Entry(string index, int shard, string type, string targetNode)
    {
        private readonly long _started = Stopwatch.GetTimestamp();
        private long _stopped;

        public string Index { get; } = index;

        public int Shard { get; } = shard;

        public string Type { get; } = type;

        public string TargetNode { get; } = targetNode;

        public string SourceNode { get; set; } = "n/a";

        public string Stage { get; private set; } = "index";

        public long Bytes { get; private set; }

        public long Operations { get; private set; }

        public string? Failure { get; private set; }

        public DateTimeOffset StartTime { get; } = DateTimeOffset.UtcNow;

        public long ElapsedMilliseconds => (long)Stopwatch.GetElapsedTime(_started, Volatile.Read(ref _stopped) is var stop and > 0 ? stop : Stopwatch.GetTimestamp()).TotalMilliseconds;

        public void Complete(long bytes, long operations)
        {
            (Bytes, Operations, Stage) = (bytes, operations, "done");
            Volatile.Write(ref _stopped, Stopwatch.GetTimestamp());
        }

        public void Fail(string reason)
        {
            (Failure, Stage) = (reason, "failed");
            Volatile.Write(ref _stopped, Stopwatch.GetTimestamp());
        }
    }
}
