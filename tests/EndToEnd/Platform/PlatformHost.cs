using Cloud.Testing;

namespace Cloud.EndToEnd.Tests.Platform;

/// <summary>One simulated bare-metal host of a <see cref="LocalPlatform"/>: a runner and an allocator sharing a host id and data root.</summary>
public sealed class PlatformHost : IAsyncDisposable
{
    internal PlatformHost(HostAgentSettings agents) => Agents = agents;

    /// <summary>How its runner and allocator start (shared with the other test platforms, tests/Testing).</summary>
    public HostAgentSettings Agents { get; }

    public string HostId => Agents.HostId;

    public string Zone => Agents.Zone;

    public string DataRoot => Agents.DataRoot;

    public string PortRange => Agents.PortRange;

    public RoleProcess? Runner { get; internal set; }

    public RoleProcess? Allocator { get; internal set; }

    /// <summary>The Docker label the runner puts on every container it owns.</summary>
    public string ContainerLabel => Agents.ContainerLabel;

    /// <summary>The host dies: both agents killed (no graceful stop) and every container of the host killed with them.</summary>
    public async Task KillWithContainersAsync()
    {
        if (Allocator is not null)
        {
            await Allocator.Process.KillAsync();
        }

        if (Runner is not null)
        {
            await Runner.Process.KillAsync();
        }

        var ids = await DockerEngine.CliAsync("ps", "-q", "--filter", "label=" + ContainerLabel);
        foreach (var id in ids.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            await DockerEngine.CliAsync("kill", id);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Allocator is not null)
        {
            await Allocator.DisposeAsync();
        }

        if (Runner is not null)
        {
            await Runner.DisposeAsync();
        }

        await DockerEngine.RemoveContainersLabelledAsync(ContainerLabel);
    }
}
