using System.Collections.Immutable;

namespace Cloud.Constructor.Enrollment;

/// <summary>The roles a token may let a host take.</summary>
public static class EnrollmentRoles
{
    public const string Runner = "runner";
    public const string Allocator = "allocator";
    public const string Proxy = "proxy";
    public const string Constructor = "constructor";

    public static ImmutableArray<string> All { get; } = [Runner, Allocator, Proxy, Constructor];
}
