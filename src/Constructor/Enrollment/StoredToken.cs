using System.Collections.Immutable;

namespace Cloud.Constructor.Enrollment;

/// <summary>A token as kept in ZooKeeper: its roles, expiry and the SHA-256 of its secret (not the secret).</summary>
public sealed record StoredToken(ImmutableArray<string> Roles, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, string SecretSha256);
