namespace Cloud.Allocator.Status;

/// <summary>Where an instance's status lives: <c>/cloud/instances/&lt;cluster_id&gt;/&lt;instance_name&gt;</c>.</summary>
internal readonly record struct InstanceKey(string ClusterId, string InstanceName);
