using Cloud.Testing;

namespace Cloud.Constructor.Tests.Support;

/// <summary>A simulated host: its real runner and allocator processes, sharing a data root.</summary>
public sealed class PlatformHost : IAsyncDisposable
{
    public PlatformHost(HostAgentSettings agents)
    {
        Agents = agents;
        Directory.CreateDirectory(agents.DataRoot);
    }

    public HostAgentSettings Agents { get; }

    public string HostId => Agents.HostId;

    public string Zone => Agents.Zone;

    public string DataRoot => Agents.DataRoot;

    public RoleProcess? Runner { get; private set; }

    public RoleProcess? Allocator { get; private set; }

    public void Start()
    {
        Runner = RoleProcess.Start("Runner", Agents.Runner());
        Allocator = RoleProcess.Start("Allocator", Agents.Allocator());
    }

    /// <summary>Kills both processes at once, as a host that loses power (containers stay, orphaned).</summary>
    public async Task KillAsync()
    {
        await Task.WhenAll(Kill(Allocator), Kill(Runner));
        Allocator = null;
        Runner = null;

        static async Task Kill(RoleProcess? process)
        {
            if (process is not null)
            {
                await process.Process.KillAsync();
                await process.DisposeAsync();
            }
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

        await DockerEngine.RemoveContainersLabelledAsync(Agents.ContainerLabel);
    }
}
