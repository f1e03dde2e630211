namespace Cloud.Runner.Docker;

/// <summary>Something happened to one of the runner's containers (<c>start</c>, <c>die</c>, <c>health_status: healthy</c>...).</summary>
internal sealed record RuntimeEvent(string ContainerId, string? ContainerName, string Action);
