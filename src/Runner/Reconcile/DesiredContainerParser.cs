using Cloud.Runner.Policy;
using Cloud.Shared.Containers;
using Cloud.Shared.Hosting;

namespace Cloud.Runner.Reconcile;

/// <summary>
/// Reads one definition node's bytes into a <see cref="DesiredContainer"/>. Total: whatever the node
/// holds, the answer is a valid definition or a refusal with its reasons, never an exception, so one
/// hostile or mistaken definition can never stop the runner of its host.
/// </summary>
internal static class DesiredContainerParser
{
    public static DesiredContainer Parse(string name, ReadOnlySpan<byte> data, string dataRoot)
    {
        ContainerSpec spec;
        try
        {
            spec = ContainerSpecJson.Deserialize(data);
        }
        catch (Exception ex) when (!ErrorPolicy.IsFatal(ex))
        {
            return DesiredContainer.Refused(name, null, [$"the definition is not a valid container definition: {ex.Message}"]);
        }

        try
        {
            var errors = DefinitionValidator.Validate(name, spec, dataRoot);
            return errors.IsEmpty ? DesiredContainer.Valid(name, spec) : DesiredContainer.Refused(name, spec, errors);
        }
        catch (Exception ex) when (!ErrorPolicy.IsFatal(ex))
        {
            // The validator is meant to be total; should a shape slip through it, the definition is refused, not the runner stopped.
            return DesiredContainer.Refused(name, null, [$"the definition could not be checked: {ex.GetType().Name}: {ex.Message}"]);
        }
    }
}
