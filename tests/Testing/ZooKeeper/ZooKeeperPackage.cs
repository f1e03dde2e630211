
namespace Cloud.Testing;

/// <summary>Where Debian's <c>zookeeper</c> package keeps its jars; installs the package when it is missing.</summary>
public static class ZooKeeperPackage
{
    private const string JavaDir = "/usr/share/java";

    private static readonly string[] Jars =
    [
        "zookeeper.jar", "zookeeper-jute.jar", "slf4j-api.jar", "slf4j-nop.jar",
        "netty-handler.jar", "netty-common.jar", "netty-buffer.jar", "netty-transport.jar",
        "netty-codec.jar", "netty-resolver.jar", "netty-transport-native-epoll.jar",
        "netty-transport-native-unix-common.jar", "commons-cli.jar", "commons-io.jar",
    ];

    public static string ClassPath => string.Join(':', Jars.Select(jar => Path.Combine(JavaDir, jar)).Where(File.Exists));

    public static void EnsureInstalled()
    {
        if (!File.Exists(Path.Combine(JavaDir, "zookeeper.jar")))
        {
            PlatformPackages.Install("zookeeper");
        }
    }
}
