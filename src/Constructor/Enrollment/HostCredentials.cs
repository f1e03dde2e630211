using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Cloud.Constructor.Enrollment;

/// <summary>
/// What an enrolled host gets: the ZooKeeper digest credentials (<c>user:password</c>, the user being the
/// host id) that let it write its own nodes and no other host's. Goes into <c>ZooKeeper:Digest</c>.
/// </summary>
public sealed record HostCredentials(string HostId, ImmutableArray<string> Roles, [property: JsonPropertyName("zookeeper_digest")] string ZooKeeperDigest);
