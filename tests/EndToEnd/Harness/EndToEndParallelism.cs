using Xunit;

// End-to-end classes start whole platforms (ZooKeeper, role processes, containers): two at once on a
// loaded two-core machine starve each other into timeouts, so the classes of this project run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
