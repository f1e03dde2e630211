namespace Cloud.Shared.Containers;

/// <summary>Docker's restart policy: <c>no</c>, <c>always</c>, <c>unless-stopped</c> or <c>on-failure</c>.</summary>
public sealed record RestartPolicySpec(string Name, int? MaximumRetryCount = null)
{
    public const string No = "no";
    public const string Always = "always";
    public const string UnlessStopped = "unless-stopped";
    public const string OnFailure = "on-failure";
}
