namespace Cloud.Runner.Docker;

/// <summary>The container engine refused or failed a request; the message says what and why.</summary>
internal class ContainerRuntimeException : Exception
{
    public ContainerRuntimeException()
    {
    }

    public ContainerRuntimeException(string message)
        : base(message)
    {
    }

    public ContainerRuntimeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
