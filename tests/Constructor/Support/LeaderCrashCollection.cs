using Xunit;

namespace Cloud.Constructor.Tests.Support;

/// <summary>The leader-crash tests, on their own platform, in parallel with <see cref="PlatformCollection"/>.</summary>
[CollectionDefinition(Name)]
public sealed class LeaderCrashCollection : ICollectionFixture<LeaderCrashPlatformFixture>
{
    public const string Name = "leader-crash";
}
