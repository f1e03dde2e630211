namespace Cloud.Constructor.Execution;

/// <summary>The step ids of plan attempts (DESIGN.md, "Data flow of a plan").</summary>
public static class StepIds
{
    public const string VerifyVersionCompatibility = "verify_version_compatibility";
    public const string Snapshot = "snapshot";
    public const string StartNewInstances = "start_new_instances";
    public const string WaitForNewInstances = "wait_for_new_instances";
    public const string ExcludeOldFromAllocation = "exclude_old_from_allocation";
    public const string WaitForShardMigration = "wait_for_shard_migration";
    public const string UpdateRouting = "update_routing";
    public const string Drain = "drain";
    public const string ExcludeOldMastersFromVoting = "exclude_old_masters_from_voting";
    public const string StopOldInstances = "stop_old_instances";
    public const string CleanUp = "clean_up";
    public const string RecordPlan = "record_plan";
    public const string StopInstances = "stop_instances";
    public const string WaitForStopped = "wait_for_stopped";
    public const string Rollback = "rollback";

    /// <summary><c>start_instance:&lt;name&gt;</c>, one new node at a time (rolling grow and shrink).</summary>
    public const string StartInstancePrefix = "start_instance:";

    public const string WaitForInstancePrefix = "wait_for_instance:";

    /// <summary><c>rolling_restart:&lt;group&gt;</c>, one group down at a time (rolling).</summary>
    public const string RollingRestartPrefix = "rolling_restart:";
}
