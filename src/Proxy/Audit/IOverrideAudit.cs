namespace Cloud.Proxy.Audit;

/// <summary>Receives override audit events; must not block (it is called while routes are updated).</summary>
internal interface IOverrideAudit
{
    void Record(OverrideAuditEvent auditEvent);
}
