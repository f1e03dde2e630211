namespace Cloud.ZooKeeper;

/// <summary>A node's ACL and its stat: <see cref="Stat.Aversion"/> is the version <see cref="ZooKeeperClient.SetAclAsync"/> compares.</summary>
public sealed record AclResult(IReadOnlyList<Acl> Acl, Stat Stat);
