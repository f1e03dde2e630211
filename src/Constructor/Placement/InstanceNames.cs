using System.Globalization;

namespace Cloud.Constructor.Placement;

/// <summary>Instance names as Elastic Cloud Enterprise gives them: <c>instance-0000000001</c>, never reused in a cluster.</summary>
public static class InstanceNames
{
    public static string For(long number) => string.Create(CultureInfo.InvariantCulture, $"instance-{number:D10}");

    /// <summary>The allocator work node's name: unique across clusters on one allocator.</summary>
    public static string InstanceId(string clusterId, string instanceName) => $"{clusterId}-{instanceName}";
}
