using Cloud.Proxy.Health;
using Cloud.Proxy.Routing;

namespace Cloud.Proxy.Forwarding;

/// <summary>
/// Power of two choices on in-flight requests, among healthy destinations of the proxy's zone when it
/// has any, else among all healthy ones. When nothing is healthy it still picks one (a stale failure
/// mark must not turn into a 503 before the prober has had a chance). Allocates nothing.
/// </summary>
internal static class LoadBalancer
{
    public static RouteDestination? Pick(ClusterRoute route, DestinationState? exclude = null)
    {
        return PickFrom(route.Local, exclude, healthyOnly: true)
            ?? PickFrom(route.All, exclude, healthyOnly: true)
            ?? PickFrom(route.All, exclude, healthyOnly: false);
    }

    private static RouteDestination? PickFrom(RouteDestination[] candidates, DestinationState? exclude, bool healthyOnly)
    {
        var eligible = 0;
        foreach (var candidate in candidates)
        {
            if (IsEligible(candidate, exclude, healthyOnly))
            {
                eligible++;
            }
        }

        switch (eligible)
        {
            case 0:
                return null;
            case 1:
                return Nth(candidates, exclude, healthyOnly, 0);
            default:
                var first = Random.Shared.Next(eligible);
                var second = Random.Shared.Next(eligible - 1);
                if (second >= first)
                {
                    second++;
                }

                var a = Nth(candidates, exclude, healthyOnly, first)!;
                var b = Nth(candidates, exclude, healthyOnly, second)!;
                return b.State.ActiveRequests < a.State.ActiveRequests ? b : a;
        }
    }

    private static RouteDestination? Nth(RouteDestination[] candidates, DestinationState? exclude, bool healthyOnly, int n)
    {
        foreach (var candidate in candidates)
        {
            if (IsEligible(candidate, exclude, healthyOnly) && n-- == 0)
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool IsEligible(RouteDestination candidate, DestinationState? exclude, bool healthyOnly) =>
        !ReferenceEquals(candidate.State, exclude) && (!healthyOnly || candidate.State.IsHealthy);
}
