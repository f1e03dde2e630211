namespace Cloud.Allocator.Status;

/// <summary>
/// The <c>container_state</c> values an allocator publishes besides the runner's own
/// (<see cref="Cloud.Shared.Containers.ContainerStates"/>) for instances that have no observed container.
/// </summary>
internal static class InstanceStates
{
    /// <summary>The definition is written; the runner has not reported the container yet.</summary>
    public const string Pending = "pending";

    /// <summary>The assignment's desired state is <c>stopped</c>: no definition, data dir and ports kept.</summary>
    public const string Stopped = "stopped";
}
