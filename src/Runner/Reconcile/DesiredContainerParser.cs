using System.Text.Json;
using Cloud.Runner.Policy;
using Cloud.Shared.Containers;

namespace Cloud.Runner.Reconcile;

/// <summary>Reads one definition node's bytes into a <see cref="DesiredContainer"/>, never throwing.</summary>
internal static class DesiredContainerParser
{
    public static DesiredContainer Parse(string name, ReadOnlySpan<byte> data, string dataRoot)
    {
        ContainerSpec spec;
        try
        {
            spec = ContainerSpecJson.Deserialize(data);
        }
        catch (JsonException ex)
        {
            return DesiredContainer.Refused(name, null, [$"the definition is not a valid container definition: {ex.Message}"]);
        }

        var errors = DefinitionValidator.Validate(name, spec, dataRoot);
        return errors.IsEmpty ? DesiredContainer.Valid(name, spec) : DesiredContainer.Refused(name, spec, errors);
    }
}
