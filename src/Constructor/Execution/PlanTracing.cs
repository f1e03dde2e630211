using System.Diagnostics;
using Cloud.Constructor.Clusters;

namespace Cloud.Constructor.Execution;

/// <summary>
/// One trace per plan attempt, one span per step inside it. The attempt records its trace id, so a leader that
/// resumes the attempt after another one died continues the same trace, and the step's log lines (which carry the
/// current trace id) can be found from the plan activity's <c>trace_id</c>.
/// </summary>
internal static class PlanTracing
{
    public static Activity? StartAttempt(ActivitySource source, string clusterId, PlanAttempt attempt)
    {
        // Not a child of whatever ran before (the leader's loop): an attempt is its own trace, or the one it resumes.
        var parent = attempt.TraceId is { Length: 32 } traceId
            ? new ActivityContext(ActivityTraceId.CreateFromString(traceId), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true)
            : default;
        var previous = Activity.Current;
        Activity.Current = null;
        var activity = source.StartActivity("plan attempt", ActivityKind.Internal, parent);
        if (activity is null)
        {
            Activity.Current = previous;
            return null;
        }

        activity.SetTag("cluster_id", clusterId);
        activity.SetTag("plan_id", attempt.PlanId);
        activity.SetTag("attempt_id", attempt.AttemptId);
        activity.SetTag("strategy", attempt.Strategy);
        return activity;
    }

    public static Activity? StartStep(ActivitySource source, string stepId)
    {
        var activity = source.StartActivity("plan step " + stepId);
        activity?.SetTag("step_id", stepId);
        return activity;
    }

    public static void Record(Activity? step, string status)
    {
        step?.SetTag("status", status);
        if (status == StepStatuses.Error)
        {
            step?.SetStatus(ActivityStatusCode.Error);
        }
    }
}
