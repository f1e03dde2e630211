using Cloud.ElasticsearchNode.Cluster;
using FluentAssertions;
using Xunit;

namespace Cloud.ElasticsearchNode.Tests.Cluster.Coordination;

/// <summary>
/// Three nodes started together form a cluster that stays formed: once every node follows one master with all
/// three nodes in its state, no node loses that master or moves to another term (no late election deposes it).
/// Repeated, because the elections of nodes started together race differently each time. A sentinel, not the
/// reproduction: in-process on a quiet machine it did not catch the CI race in 30 formations without the fix (the
/// window needs a loaded machine); <see cref="ElectionRaceTests"/> stages that race exactly.
/// </summary>
[Trait("Category", "Integration")]
public sealed class FormationStabilityTests
{
    private const int Formations = 10;
    private static readonly TimeSpan Watch = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task ThreeNodesStartedTogether_OnceFormed_KeepTheirMasterAndTerm()
    {
        var violations = new List<string>();
        for (var formation = 0; formation < Formations; formation++)
        {
            await using var cluster = new TestCluster("n1", "n2", "n3");
            foreach (var name in new[] { "n1", "n2", "n3" })
            {
                cluster.Start(name);
            }

            var master = await cluster.StableAsync(3);
            var masterId = master.LocalNode.Id;
            var term = master.Coordinator.CurrentTerm;
            var until = DateTime.UtcNow + Watch;
            while (DateTime.UtcNow < until && violations.Count == 0)
            {
                foreach (var node in cluster.Nodes.Values)
                {
                    if (Describe(node, masterId, term) is { } violation)
                    {
                        violations.Add($"formation {formation}: {violation}");
                    }
                }

                await Task.Delay(10);
            }
        }

        violations.Should().BeEmpty();
    }

    private static string? Describe(ClusterNode node, string masterId, long term)
    {
        var coordinator = node.Coordinator;
        return coordinator.HasMaster && node.State.MasterNodeId == masterId && coordinator.CurrentTerm == term
            ? null
            : $"{node.Options.NodeName} has master {(coordinator.HasMaster ? node.State.MasterNodeId : "none")} in term {coordinator.CurrentTerm} (formed with {masterId} in term {term}), mode {coordinator.Mode}";
    }
}
