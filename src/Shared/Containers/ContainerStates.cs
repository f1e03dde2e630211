namespace Cloud.Shared.Containers;

/// <summary>Container states as runners publish them: Docker's own, plus the runner's verdicts.</summary>
public static class ContainerStates
{
    public const string Created = "created";
    public const string Running = "running";
    public const string Restarting = "restarting";
    public const string Exited = "exited";
    public const string Dead = "dead";
    public const string Missing = "missing";
    public const string Refused = "refused";
    public const string Failed = "failed";
}
