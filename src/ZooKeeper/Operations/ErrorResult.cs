namespace Cloud.ZooKeeper;

/// <summary>The op failed with <see cref="Code"/>; in a failed multi the other ops report Ok (before) or RuntimeInconsistency (after).</summary>
public sealed record ErrorResult(ErrorCode Code) : OpResult;
