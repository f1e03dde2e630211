using Xunit.Abstractions;
using Xunit.Sdk;

namespace Cloud.EndToEnd.Tests.Platform;

/// <summary>
/// Runs a class's scenarios in the order of their <see cref="ScenarioAttribute"/>: the product's
/// scenarios share one platform, and the destructive ones (a host killed) come last.
/// </summary>
public sealed class ScenarioOrderer : ITestCaseOrderer
{
    public const string TypeName = "Cloud.EndToEnd.Tests.Platform.ScenarioOrderer";
    public const string AssemblyName = "Cloud.EndToEnd.Tests";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases)
        where TTestCase : ITestCase =>
        testCases.OrderBy(test => test.TestMethod.Method.GetCustomAttributes(typeof(ScenarioAttribute).AssemblyQualifiedName!)
            .FirstOrDefault()?.GetNamedArgument<int>(nameof(ScenarioAttribute.Order)) ?? int.MaxValue);
}

[AttributeUsage(AttributeTargets.Method)]
public sealed class ScenarioAttribute : Attribute
{
    public int Order { get; set; }
}
