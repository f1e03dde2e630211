namespace Cloud.Shared.Hosting;

/// <summary>Which platform role this process plays (constructor, allocator, runner, proxy).</summary>
public sealed record RoleIdentity(string Role);
