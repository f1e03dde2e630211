namespace Cloud.Runner.Policy;

/// <summary>One entry of <c>HostConfig.Binds</c>: <c>/host/path:/container/path[:options]</c>.</summary>
internal sealed record BindMount(string Source, string Target, string? Options)
{
    /// <summary>Splits a bind the way Docker does on Linux; null when it is not of that shape.</summary>
    public static BindMount? TryParse(string bind)
    {
        var parts = bind.Split(':');
        return parts.Length switch
        {
            2 when parts[0].Length > 0 && parts[1].Length > 0 => new BindMount(parts[0], parts[1], null),
            3 when parts[0].Length > 0 && parts[1].Length > 0 => new BindMount(parts[0], parts[1], parts[2]),
            _ => null,
        };
    }
}
