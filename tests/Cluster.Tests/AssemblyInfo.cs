// The tests start silos and time failure detection: one class at a time, so that they do not slow each other down on a
// two-core machine and make a silo look dead.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
