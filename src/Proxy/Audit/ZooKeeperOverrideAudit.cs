using System.Threading.Channels;
using Cloud.Shared.Coordination;
using Cloud.Shared.Hosting;
using Cloud.Shared.Serialization;
using Cloud.ZooKeeper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Proxy.Audit;

/// <summary>
/// Writes each override audit event to the structured log at once, and to <c>/cloud/audit</c> in the
/// background. Node names are deterministic (<c>override-&lt;cluster&gt;-&lt;override&gt;-&lt;event&gt;-&lt;created ticks&gt;</c>),
/// so several proxies seeing the same override write one record; the node keeps the newest
/// <see cref="ProxyOptions.AuditRetention"/> records and deletes older ones. Events seen while
/// ZooKeeper is unreachable wait in memory (bounded) and are written when it returns.
/// </summary>
internal sealed partial class ZooKeeperOverrideAudit : BackgroundService, IOverrideAudit
{
    private const int MaxPending = 10_000;

    private readonly Channel<OverrideAuditEvent> _pending = Channel.CreateBounded<OverrideAuditEvent>(new BoundedChannelOptions(MaxPending) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly ZooKeeperConnection _connection;
    private readonly ILogger<ZooKeeperOverrideAudit> _logger;
    private readonly int _retention;

    public ZooKeeperOverrideAudit(ZooKeeperConnection connection, IOptions<ProxyOptions> options, ILogger<ZooKeeperOverrideAudit> logger)
    {
        _connection = connection;
        _logger = logger;
        _retention = options.Value.AuditRetention;
    }

    public void Record(OverrideAuditEvent auditEvent)
    {
        LogAudit(auditEvent.Event, auditEvent.ClusterId, auditEvent.OverrideId, auditEvent.Action, auditEvent.Reason, auditEvent.Author, auditEvent.ExpiresAt);
        _pending.Writer.TryWrite(auditEvent);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var client = await _connection.GetClientAsync(stoppingToken);
            await foreach (var auditEvent in _pending.Reader.ReadAllAsync(stoppingToken))
            {
                for (var attempt = 0; ; attempt++)
                {
                    try
                    {
                        await WriteAsync(client, auditEvent, stoppingToken);
                        break;
                    }
                    catch (ZooKeeperException ex) when (!stoppingToken.IsCancellationRequested)
                    {
                        LogWriteFailed(ex, auditEvent.OverrideId);
                        await client.WaitUntilConnectedAsync(stoppingToken);
                        await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(10_000, 200 << Math.Min(attempt, 6)) * (0.5 + Random.Shared.NextDouble())), stoppingToken);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task WriteAsync(ZooKeeperClient client, OverrideAuditEvent auditEvent, CancellationToken cancellationToken)
    {
        var name = $"override-{auditEvent.ClusterId}-{auditEvent.OverrideId}-{auditEvent.Event}-{auditEvent.CreatedAt?.UtcTicks ?? 0}";
        var path = CloudPaths.Join(CloudPaths.Audit, name);
        await client.CreateRecursiveAsync(CloudPaths.Audit, null, cancellationToken);
        try
        {
            await client.CreateAsync(path, CloudJson.Serialize(auditEvent), CreateMode.Persistent, cancellationToken: cancellationToken);
        }
        catch (NodeExistsException)
        {
            // Another proxy (or an earlier attempt of ours) recorded it already.
            return;
        }

        await TrimAsync(client, cancellationToken);
    }

    private async Task TrimAsync(ZooKeeperClient client, CancellationToken cancellationToken)
    {
        var children = await client.GetChildrenAsync(CloudPaths.Audit, cancellationToken: cancellationToken);
        if (children.Children.Count <= _retention)
        {
            return;
        }

        var stats = await Task.WhenAll(children.Children.Select(async c => (Name: c, Stat: await client.ExistsAsync(CloudPaths.Join(CloudPaths.Audit, c), cancellationToken: cancellationToken))));
        foreach (var old in stats.Where(s => s.Stat is not null).OrderBy(s => s.Stat!.Czxid).Take(stats.Length - _retention))
        {
            try
            {
                await client.DeleteAsync(CloudPaths.Join(CloudPaths.Audit, old.Name), cancellationToken: cancellationToken);
            }
            catch (NoNodeException)
            {
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, EventName = "OverrideAudit", Message = "Audit {AuditEvent}: cluster {ClusterId} override {OverrideId} ({Action}, reason {Reason}, author {Author}, expires {ExpiresAt})")]
    private partial void LogAudit(string auditEvent, string clusterId, string overrideId, string? action, string? reason, string? author, DateTimeOffset? expiresAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot write the audit record of override {OverrideId} yet; retrying")]
    private partial void LogWriteFailed(Exception exception, string overrideId);
}
