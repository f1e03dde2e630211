using System.Text.Json;
using Cloud.ElasticsearchNode.Cluster.State;

namespace Cloud.ElasticsearchNode.Cluster.Coordination;

/// <summary>
/// What a node must remember across restarts to vote safely: its current term and the last cluster
/// state it accepted (with the cluster uuid). Written whole to a temporary file and renamed, so a
/// crash leaves either the old or the new version.
/// </summary>
internal sealed class PersistedState
{
    private readonly string _file;

    private PersistedState(string file, long currentTerm, ClusterState lastAccepted)
    {
        _file = file;
        CurrentTerm = currentTerm;
        LastAccepted = lastAccepted;
    }

    public long CurrentTerm { get; private set; }

    public ClusterState LastAccepted { get; private set; }

    public static PersistedState Load(string dataPath, string clusterName)
    {
        var directory = Path.Combine(dataPath, "_state");
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, "coordination.json");
        if (!File.Exists(file))
        {
            return new PersistedState(file, 0, ClusterState.Empty(clusterName));
        }

        var stored = JsonSerializer.Deserialize<Stored>(File.ReadAllBytes(file), ClusterJson.Options)
            ?? throw new InvalidDataException($"{file} is empty");
        return new PersistedState(file, stored.CurrentTerm, stored.LastAccepted);
    }

    public void SetCurrentTerm(long term)
    {
        CurrentTerm = term;
        Write();
    }

    public void SetLastAccepted(ClusterState state)
    {
        LastAccepted = state;
        Write();
    }

    private void Write()
    {
        var temporary = _file + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, new Stored(CurrentTerm, LastAccepted), ClusterJson.Options);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, _file, overwrite: true);
    }

    private sealed record Stored(long CurrentTerm, ClusterState LastAccepted);
}
