using Cloud.Shared.Coordination;
using Cloud.Shared.Hosting;
using Cloud.ZooKeeper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Constructor.Enrollment;

/// <summary>
/// When the constructor holds an identity, makes its trees (<see cref="PlatformOwnedNodes"/>) its own once at
/// start: creates the roots, and takes every node below that anyone may change (written before the platform
/// had identities, e.g. by an earlier single-host install) to read-for-all, change-for-the-constructor. Nodes
/// already restricted, such as an enrolled host's purge requests, keep their ACL. Runs on every constructor;
/// it is idempotent, and a failed pass is retried with backoff.
/// </summary>
internal sealed partial class PlatformAclGuard(
    ZooKeeperConnection zooKeeper,
    IOptions<ZooKeeperOptions> options,
    TimeProvider time,
    ILogger<PlatformAclGuard> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (string.IsNullOrEmpty(options.Value.Digest))
        {
            return;
        }

        for (var attempt = 0; ; attempt++)
        {
            await Backoff.Default.WaitAsync(attempt, time, stoppingToken);
            try
            {
                var client = await zooKeeper.GetClientAsync(stoppingToken);
                var taken = 0;
                foreach (var root in PlatformOwnedNodes.Roots)
                {
                    await client.CreateRecursiveAsync(root, null, stoppingToken);
                    taken += await ProtectAsync(client, root, stoppingToken);
                }

                LogProtected(taken);
                return;
            }
            catch (Exception ex) when (ErrorPolicy.IsRetried(ex, stoppingToken))
            {
                LogPassFailed(ex, attempt + 1);
            }
        }
    }

    /// <summary>Restricts <paramref name="path"/> and its subtree where anyone may write; returns how many nodes changed.</summary>
    private static async Task<int> ProtectAsync(ZooKeeperClient client, string path, CancellationToken cancellationToken)
    {
        try
        {
            var taken = 0;
            if (PlatformOwnedNodes.IsWritableByAnyone(await client.GetAclAsync(path, cancellationToken)))
            {
                await client.SetAclAsync(path, HostOwnedNodes.CreatorAcl, -1, cancellationToken);
                taken = 1;
            }

            var children = await client.GetChildrenAsync(path, null, cancellationToken);
            var below = await Task.WhenAll(children.Children.Select(child => ProtectAsync(client, path + "/" + child, cancellationToken)));
            return taken + below.Sum();
        }
        catch (NoNodeException)
        {
            return 0;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The constructor's trees are writable by the constructor only; {Count} nodes were open and are now protected")]
    private partial void LogProtected(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Protecting the constructor's trees failed (attempt {Attempt}); retrying")]
    private partial void LogPassFailed(Exception exception, int attempt);
}
