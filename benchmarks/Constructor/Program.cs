using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Cloud.Constructor.Benchmarks;

// Placement and re-planning figures, each beside its target (issue 18). The platform's create time
// is measured by create-time mode against a running single-host platform (run.sh starts it).
var mode = args.FirstOrDefault() ?? "all";
if (mode is "all" or "placement")
{
    PlacementBenchmark.Run();
}

if (mode is "all" or "replan")
{
    ReplanBenchmark.Run();
}

if (mode == "create-time")
{
    var api = args.Length > 1 ? args[1] : "http://127.0.0.1:12400";
    var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
    return await CreateTimeBenchmark.RunAsync(new Uri(api), rounds);
}

return 0;
