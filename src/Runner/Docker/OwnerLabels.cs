namespace Cloud.Runner.Docker;

/// <summary>
/// The labels a runner stamps on every container it creates: which host's runner owns it and which
/// definition it was created from. A runner only ever touches containers carrying its own host id.
/// </summary>
internal static class OwnerLabels
{
    public const string HostId = "cloud.runner.host";
    public const string DefinitionHash = "cloud.runner.definition-hash";

    /// <summary>The <c>label=</c> filter value that selects one host's containers.</summary>
    public static string FilterFor(string hostId) => $"{HostId}={hostId}";
}
