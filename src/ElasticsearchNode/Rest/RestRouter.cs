namespace Cloud.ElasticsearchNode.Rest;

/// <summary>
/// Matches a method and path to an action the way Elasticsearch's REST controller does: a literal path
/// segment wins over a <c>{parameter}</c> at the same position; a path known for other methods is a 405.
/// </summary>
internal sealed class RestRouter
{
    private readonly List<Route> _routes = [];

    public void Add(string method, string pattern, RestHandler handler) =>
        _routes.Add(new Route(method, pattern.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries), handler));

    public void Add(IEnumerable<string> methods, string pattern, RestHandler handler)
    {
        foreach (var method in methods)
        {
            Add(method, pattern, handler);
        }
    }

    /// <summary>The best route for the path, or null; <paramref name="allowedMethods"/> lists the methods the path has when the method does not match.</summary>
    public (RestHandler Handler, Dictionary<string, string> Parameters)? Match(string method, string path, out IReadOnlyList<string> allowedMethods)
    {
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        Route? best = null;
        Dictionary<string, string>? bestParameters = null;
        var allowed = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var route in _routes)
        {
            if (!route.TryMatch(segments, out var parameters))
            {
                continue;
            }

            if (!route.Method.Equals(method, StringComparison.OrdinalIgnoreCase))
            {
                allowed.Add(route.Method);
                continue;
            }

            if (best is null || route.IsMoreSpecificThan(best))
            {
                best = route;
                bestParameters = parameters;
            }
        }

        allowedMethods = [.. allowed];
        return best is null ? null : (best.Handler, bestParameters!);
    }

    private sealed record Route(string Method, string[] Segments, RestHandler Handler)
    {
        public bool TryMatch(string[] path, out Dictionary<string, string> parameters)
        {
            parameters = new Dictionary<string, string>(StringComparer.Ordinal);
            if (path.Length != Segments.Length)
            {
                return false;
            }

            for (var i = 0; i < path.Length; i++)
            {
                var segment = Segments[i];
                if (segment.StartsWith('{'))
                {
                    parameters[segment[1..^1]] = path[i];
                }
                else if (!segment.Equals(path[i], StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return true;
        }

        public bool IsMoreSpecificThan(Route other)
        {
            for (var i = 0; i < Segments.Length; i++)
            {
                var mine = !Segments[i].StartsWith('{');
                var theirs = !other.Segments[i].StartsWith('{');
                if (mine != theirs)
                {
                    return mine;
                }
            }

            return false;
        }
    }
}
