using System.ComponentModel.DataAnnotations;

namespace Cloud.Constructor;

/// <summary>The constructor's settings (configuration section <c>Constructor</c>).</summary>
public sealed class ConstructorOptions
{
    public const string Section = "Constructor";

    /// <summary>This constructor's id in leader election; default: machine name and process id.</summary>
    public string ConstructorId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}".ToLowerInvariant();

    /// <summary>
    /// Elasticsearch versions an image exists for (what <c>scripts/build-es-images.sh</c> builds and the
    /// allocators' <c>ImageTemplate</c> names). A plan with another version needs <c>docker_image</c>.
    /// </summary>
    public List<string> AvailableVersions { get; set; } = ["8.15.0", "8.16.0"];

    /// <summary>The cluster's proxy endpoint; <c>{cluster_id}</c> is replaced.</summary>
    [Required]
    public string ProxyEndpointTemplate { get; set; } = "http://{cluster_id}.localhost:9200";

    /// <summary>How long an allocator may be gone before its instances are replaced (eBay: 15 minutes).</summary>
    public TimeSpan AllocatorGracePeriod { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long connections to instances leaving routing may drain before they stop.</summary>
    public TimeSpan DrainPeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long new instances may take to appear in <c>_cat/nodes</c> once they answer.</summary>
    public TimeSpan JoinTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the leader re-reads the platform (watches wake it sooner).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long a rollback may wait for shards to move off the new instances (back to the old ones) before it
    /// removes the new instances anyway; whatever is left is written in the rollback's log.
    /// </summary>
    public TimeSpan RollbackTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Where nodes write snapshots before a plan (an <c>fs</c> repository); none when empty.</summary>
    public string? SnapshotRepositoryLocation { get; set; }

    /// <summary>
    /// Test hook: the process kills itself right after recording this step's success, to prove a new
    /// leader resumes at the next step. Never set in production.
    /// </summary>
    public string? CrashAfterStep { get; set; }

    /// <summary>
    /// Test hook: this step is recorded as failed after it ran (its effects stay), to prove the rollback
    /// undoes them. Never set in production.
    /// </summary>
    public string? FailAfterStep { get; set; }
}
