namespace Cloud.Constructor.Clusters;

public static class StepStatuses
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Success = "success";
    public const string Error = "error";
    public const string Skipped = "skipped";

    public static bool IsFinished(string status) => status is Success or Skipped;
}
