using Xunit;

namespace Cloud.Constructor.Tests.Support;

/// <summary>The API, plan scenario and lifecycle tests: one platform, one test at a time.</summary>
[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<PlatformFixture>
{
    public const string Name = "platform";
}
