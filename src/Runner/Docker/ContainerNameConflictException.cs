namespace Cloud.Runner.Docker;

/// <summary>A container of the requested name already exists (and may not be ours).</summary>
internal sealed class ContainerNameConflictException : ContainerRuntimeException
{
    public ContainerNameConflictException()
    {
    }

    public ContainerNameConflictException(string message)
        : base(message)
    {
    }

    public ContainerNameConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
