using System.Collections.Immutable;

namespace Cloud.Constructor.Enrollment;

/// <summary><c>POST .../security/enrollment-tokens</c> body: <c>{"roles": [...], "validity_seconds": N}</c>.</summary>
public sealed record EnrollmentTokenRequest
{
    public ImmutableArray<string>? Roles { get; init; }

    /// <summary>How long the token may be used; absent: an hour.</summary>
    public long? ValiditySeconds { get; init; }
}
