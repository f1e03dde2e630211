import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/** The same work as Program.cs with the official Java client: async API, `concurrency` requests in flight. */
public final class JavaBench {
    public static void main(String[] args) throws Exception {
        String connect = args[0];
        int operations = args.length > 1 ? Integer.parseInt(args[1]) : 100000;
        int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int valueBytes = args.length > 3 ? Integer.parseInt(args[3]) : 1024;
        int syncCalls = args.length > 4 ? Integer.parseInt(args[4]) : 20000;

        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connect, 30000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        connected.await();
        String path = "/bench-java";
        byte[] value = new byte[valueBytes];
        new java.util.Random().nextBytes(value);
        try {
            zk.create(path, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        } catch (KeeperException.NodeExistsException ignored) {
            // From an earlier run.
        }
        zk.setData(path, value, -1);
        long session = zk.getSessionId();

        run(zk, "warmup-getData", path, value, Math.min(operations / 5, 20000), concurrency, false);
        run(zk, "warmup-setData", path, value, Math.min(operations / 5, 20000), concurrency, true);
        run(zk, "getData", path, value, operations, concurrency, false);
        run(zk, "setData", path, value, operations, concurrency, true);
        latency(zk, "warmup-getData-sync", path, syncCalls / 4);
        latency(zk, "getData-sync", path, syncCalls);
        boolean same = zk.getSessionId() == session && zk.getState().isConnected();
        zk.close();
        if (!same) {
            System.err.println("The session changed or the connection dropped during the benchmark.");
            System.exit(1);
        }
    }

    /** One synchronous getData at a time; prints p50 and p99 in microseconds. */
    private static void latency(ZooKeeper zk, String name, String path, int calls) throws Exception {
        double[] samples = new double[calls];
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            zk.getData(path, false, null);
            samples[i] = (System.nanoTime() - start) / 1e3;
        }
        java.util.Arrays.sort(samples);
        System.out.printf(java.util.Locale.ROOT, "LATENCY java %s %.0f %.0f%n", name,
            samples[Math.min(calls - 1, (int) (0.50 * calls))], samples[Math.min(calls - 1, (int) (0.99 * calls))]);
    }

    private static void run(ZooKeeper zk, String name, String path, byte[] value, int operations, int concurrency, boolean write)
            throws InterruptedException {
        Semaphore inFlight = new Semaphore(concurrency);
        CountDownLatch done = new CountDownLatch(operations);
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        for (int i = 0; i < operations; i++) {
            inFlight.acquire();
            if (write) {
                zk.setData(path, value, -1, (rc, p, ctx, stat) -> {
                    if (rc != 0) {
                        errors.incrementAndGet();
                    }
                    inFlight.release();
                    done.countDown();
                }, null);
            } else {
                zk.getData(path, false, (rc, p, ctx, data, stat) -> {
                    if (rc != 0) {
                        errors.incrementAndGet();
                    }
                    inFlight.release();
                    done.countDown();
                }, null);
            }
        }
        done.await();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (errors.get() > 0) {
            System.err.println(name + ": " + errors.get() + " errors");
        }
        System.out.printf(java.util.Locale.ROOT, "RESULT java %s %.0f%n", name, operations / seconds);
    }
}
