using Cloud.ZooKeeper.Jute;

namespace Cloud.ZooKeeper.Session;

/// <summary>Turns the body of a successful reply into the caller's result.</summary>
internal delegate T ResponseParser<out T>(ref JuteReader reader);
