namespace Cloud.Shared.Containers;

/// <summary>One entry of Docker's <c>HostConfig.Ulimits</c>: <c>{"Name": "nofile", "Soft": 65535, "Hard": 65535}</c>.</summary>
public sealed record UlimitSpec(string Name, long Soft, long Hard);
