namespace Cloud.Cli;

/// <summary>What <c>cloudctl</c> exits with; scripts may rely on these (docs/operations.md lists them).</summary>
public static class ExitCodes
{
    /// <summary>Done, and (when watched) the plan succeeded.</summary>
    public const int Ok = 0;

    /// <summary>The API answered with an error (4xx or 5xx); its <c>errors</c> are printed.</summary>
    public const int ApiError = 1;

    /// <summary>Bad command line, option value, plan file or configuration file; nothing was sent.</summary>
    public const int Usage = 2;

    /// <summary>The API could not be reached (refused, timed out, name not resolved).</summary>
    public const int Unreachable = 3;

    /// <summary>A watched plan ended in <c>error</c> or was cancelled.</summary>
    public const int PlanFailed = 4;
}
