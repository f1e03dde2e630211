using Cloud.Testing;

namespace Cloud.ElasticsearchNode.Benchmarks;

/// <summary>
/// Docker's floor for the start figure: a container of <c>Floor/floor.c</c> (a static program that only answers HTTP,
/// under the node image's tini) started exactly as the node is, in the same run, so the node's start can be read against
/// what any container costs on the machine at that moment.
/// </summary>
internal static class DockerFloor
{
    public static async Task<StartTimings> MeasureAsync(string image)
    {
        var name = "es-bench-floor-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            return (await ContainerStart.RunAsync(name, image, [])).Timings;
        }
        finally
        {
            await DockerEngine.CliAsync("rm", "-f", name);
        }
    }
}
