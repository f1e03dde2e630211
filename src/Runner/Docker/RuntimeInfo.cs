namespace Cloud.Runner.Docker;

/// <summary>Facts about the local container engine and the machine it runs on.</summary>
internal sealed record RuntimeInfo(
    string Version,
    string ApiVersion,
    string? OperatingSystem,
    string? KernelVersion,
    int Cpus,
    long MemoryBytes);
