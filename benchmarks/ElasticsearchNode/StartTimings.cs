using System.Globalization;

namespace Cloud.ElasticsearchNode.Benchmarks;

/// <summary>
/// One container start, in ms: <c>docker start</c> returning, <c>docker start</c> to the first answered <c>GET /</c>,
/// and the container's process start (Docker's <c>State.StartedAt</c>) to that answer, which leaves out most of
/// Docker's own work (namespaces, network, the CLI round trip) and so moves less with the machine's load.
/// </summary>
internal sealed record StartTimings(double DockerStartMs, double StartToAnswerMs, double ProcessToAnswerMs)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{StartToAnswerMs:0} ms from `docker start` ({ProcessToAnswerMs:0} ms from the process start; `docker start` returned after {DockerStartMs:0} ms)");
}
