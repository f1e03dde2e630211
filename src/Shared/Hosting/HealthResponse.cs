namespace Cloud.Shared.Hosting;

/// <summary>The body of <c>GET /health</c>: <c>{"status": "ok", "role": "runner"}</c>.</summary>
internal sealed record HealthResponse(string Status, string Role);
