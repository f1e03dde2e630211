namespace Cloud.Proxy.Audit;

/// <summary>
/// One audit record of an on-call override, written to the structured log and to <c>/cloud/audit</c>:
/// <c>event</c> is <c>override_applied</c>, <c>override_expired</c> or <c>override_removed</c>.
/// </summary>
internal sealed record OverrideAuditEvent
{
    public const string Applied = "override_applied";
    public const string Expired = "override_expired";
    public const string Removed = "override_removed";

    public required string Event { get; init; }

    public required string ClusterId { get; init; }

    public required string OverrideId { get; init; }

    public string? Action { get; init; }

    public string? Reason { get; init; }

    public string? Author { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    public string? ProxyId { get; init; }

    public DateTimeOffset At { get; init; }
}
