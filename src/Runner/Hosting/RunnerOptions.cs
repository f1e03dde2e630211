namespace Cloud.Runner.Hosting;

/// <summary>Configuration of one runner (section <c>Runner</c>), validated on start.</summary>
internal sealed class RunnerOptions
{
    public const string Section = "Runner";

    /// <summary>The host this runner serves: it reads <c>/cloud/containers/&lt;HostId&gt;</c> and owns containers labelled with it.</summary>
    public string HostId { get; set; } = string.Empty;

    /// <summary>Absolute directory every bind mount must live under; the definition's writer creates the sources (the runner never does).</summary>
    public string DataRoot { get; set; } = string.Empty;

    public string DockerEndpoint { get; set; } = "unix:///var/run/docker.sock";

    /// <summary>Pinned Engine API version; 1.41 is Docker 20.10's, understood by every newer engine.</summary>
    public string DockerApiVersion { get; set; } = "1.41";

    /// <summary>Longest any engine call but a graceful stop may take before the pass counts it as failed.</summary>
    public TimeSpan DockerCallTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Backstop: a full reconcile pass at least this often, whatever the events say.</summary>
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many containers are created, started or removed at once in one pass.</summary>
    public int MaxParallelActions { get; set; } = 4;

    /// <summary>Wait after a failed Docker or ZooKeeper call before trying again; doubles up to ten times this.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);
}
