using System.Collections.Immutable;

namespace Cloud.Constructor.Enrollment;

/// <summary>The answer to a token request; <see cref="Token"/> is shown once and never stored.</summary>
public sealed record IssuedToken(string Token, string TokenId, ImmutableArray<string> Roles, DateTimeOffset ExpiresAt);
