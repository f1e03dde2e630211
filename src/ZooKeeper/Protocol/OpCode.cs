namespace Cloud.ZooKeeper.Protocol;

/// <summary>Request types of the ZooKeeper wire protocol.</summary>
internal enum OpCode
{
    Notification = 0,
    Create = 1,
    Delete = 2,
    Exists = 3,
    GetData = 4,
    SetData = 5,
    GetAcl = 6,
    SetAcl = 7,
    GetChildren = 8,
    Sync = 9,
    Ping = 11,
    GetChildren2 = 12,
    Check = 13,
    Multi = 14,
    Create2 = 15,
    CheckWatches = 17,
    RemoveWatches = 18,
    CreateContainer = 19,
    CreateTtl = 21,
    Auth = 100,
    SetWatches = 101,
    SetWatches2 = 105,
    AddWatch = 106,
    CloseSession = -11,
    Error = -1,
}
