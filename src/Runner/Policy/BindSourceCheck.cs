using System.Collections.Immutable;

namespace Cloud.Runner.Policy;

/// <summary>
/// What <see cref="BindSourceGuard"/> found: <see cref="Refusals"/> break a rule (the definition is
/// refused); <see cref="Missing"/> sources may still appear (the container waits, retried every pass).
/// </summary>
internal sealed record BindSourceCheck(ImmutableArray<string> Refusals, ImmutableArray<string> Missing)
{
    public bool IsReady => Refusals.IsEmpty && Missing.IsEmpty;
}
