using Cloud.Runner.Reconcile;

namespace Cloud.Runner.Hosting;

/// <summary>The latest definitions snapshot and the <see cref="CoordinationEpoch"/> it was read in, swapped atomically.</summary>
internal sealed class DesiredView
{
    private Tagged _current = new(DesiredSnapshot.NotYetRead, -1);

    public (DesiredSnapshot Snapshot, long Epoch) Current
    {
        get
        {
            var current = Volatile.Read(ref _current);
            return (current.Snapshot, current.Epoch);
        }
    }

    public void Set(DesiredSnapshot snapshot, long epoch) => Volatile.Write(ref _current, new Tagged(snapshot, epoch));

    private sealed record Tagged(DesiredSnapshot Snapshot, long Epoch);
}
