namespace Cloud.Shared.Routing;

/// <summary>The proxy's ephemeral liveness node, <c>/cloud/proxies/&lt;proxy_id&gt;</c>.</summary>
public sealed record ProxyRegistration
{
    public required string ProxyId { get; init; }

    public required string Host { get; init; }

    public string? Zone { get; init; }

    public required string Domain { get; init; }

    /// <summary>The addresses the proxy listens on.</summary>
    public IReadOnlyList<string> Urls { get; init; } = [];

    public string? Version { get; init; }

    public DateTimeOffset StartedAt { get; init; }
}
