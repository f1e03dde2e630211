using System.Collections.Concurrent;
using Cloud.Proxy.Audit;

namespace Cloud.Proxy.Tests.Routing;

internal sealed class RecordingAudit : IOverrideAudit
{
    public ConcurrentQueue<OverrideAuditEvent> Events { get; } = new();

    public void Record(OverrideAuditEvent auditEvent) => Events.Enqueue(auditEvent);
}
