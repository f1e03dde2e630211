namespace Cloud.ZooKeeper;

/// <summary>Maps a reply's error code to its typed exception.</summary>
internal static class ZooKeeperErrors
{
    public static ZooKeeperException Create(ErrorCode code, string? path = null, string? message = null) => code switch
    {
        ErrorCode.SystemError => new SystemErrorException(path, message),
        ErrorCode.RuntimeInconsistency => new RuntimeInconsistencyException(path, message),
        ErrorCode.DataInconsistency => new DataInconsistencyException(path, message),
        ErrorCode.ConnectionLoss => new ConnectionLossException(path, message),
        ErrorCode.MarshallingError => new MarshallingErrorException(path, message),
        ErrorCode.Unimplemented => new UnimplementedException(path, message),
        ErrorCode.OperationTimeout => new OperationTimeoutException(path, message),
        ErrorCode.BadArguments => new BadArgumentsException(path, message),
        ErrorCode.UnknownSession => new UnknownSessionException(path, message),
        ErrorCode.NewConfigNoQuorum => new NewConfigNoQuorumException(path, message),
        ErrorCode.ReconfigInProgress => new ReconfigInProgressException(path, message),
        ErrorCode.ApiError => new ApiErrorException(path, message),
        ErrorCode.NoNode => new NoNodeException(path, message),
        ErrorCode.NoAuth => new NoAuthException(path, message),
        ErrorCode.BadVersion => new BadVersionException(path, message),
        ErrorCode.NoChildrenForEphemerals => new NoChildrenForEphemeralsException(path, message),
        ErrorCode.NodeExists => new NodeExistsException(path, message),
        ErrorCode.NotEmpty => new NotEmptyException(path, message),
        ErrorCode.SessionExpired => new SessionExpiredException(path, message),
        ErrorCode.InvalidCallback => new InvalidCallbackException(path, message),
        ErrorCode.InvalidAcl => new InvalidAclException(path, message),
        ErrorCode.AuthFailed => new AuthFailedException(path, message),
        ErrorCode.SessionMoved => new SessionMovedException(path, message),
        ErrorCode.NotReadOnly => new NotReadOnlyException(path, message),
        ErrorCode.EphemeralOnLocalSession => new EphemeralOnLocalSessionException(path, message),
        ErrorCode.NoWatcher => new NoWatcherException(path, message),
        ErrorCode.RequestTimeout => new RequestTimeoutException(path, message),
        ErrorCode.ReconfigDisabled => new ReconfigDisabledException(path, message),
        ErrorCode.SessionClosedRequireSasl => new SessionClosedRequireSaslException(path, message),
        ErrorCode.QuotaExceeded => new QuotaExceededException(path, message),
        ErrorCode.Throttled => new ThrottledException(path, message),
        _ => new UnknownErrorException((int)code, path),
    };
}
