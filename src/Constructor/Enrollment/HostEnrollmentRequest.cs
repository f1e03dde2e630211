using System.Collections.Immutable;

namespace Cloud.Constructor.Enrollment;

/// <summary><c>POST .../security/enrollments</c> body: the token, the host's id and the roles it takes.</summary>
public sealed record HostEnrollmentRequest
{
    public string? Token { get; init; }

    public string? HostId { get; init; }

    public ImmutableArray<string>? Roles { get; init; }
}
