using Cloud.Testing;

namespace Cloud.Constructor.Tests.Support;

/// <summary>A constructor process the tests started, with its id in the leader election.</summary>
public sealed record StartedConstructor(RoleProcess Process, string Id);
