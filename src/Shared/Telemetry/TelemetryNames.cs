namespace Cloud.Shared.Telemetry;

/// <summary>
/// The naming convention for the platform's own telemetry: each role's spans and instruments come
/// from an ActivitySource and a Meter named <c>Cloud.&lt;Role&gt;</c> (<c>Cloud.Constructor</c>,
/// <c>Cloud.Allocator</c>, ...), instruments are named <c>cloud.&lt;area&gt;.&lt;what&gt;</c>, and the
/// service name seen by collectors is <c>cloud-&lt;role&gt;</c>, the same as the systemd unit.
/// </summary>
public static class TelemetryNames
{
    /// <summary><c>Cloud.Constructor</c> for <c>constructor</c>.</summary>
    public static string ForRole(string role)
    {
        ArgumentException.ThrowIfNullOrEmpty(role);
        return "Cloud." + char.ToUpperInvariant(role[0]) + role[1..];
    }

    /// <summary><c>cloud-constructor</c> for <c>constructor</c>.</summary>
    public static string ServiceName(string role)
    {
        ArgumentException.ThrowIfNullOrEmpty(role);
        return "cloud-" + role.ToLowerInvariant();
    }
}
