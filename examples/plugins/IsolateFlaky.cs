// process chain consistency checker: the service "flaky" never joins a chain that has executables already, so that
// a retry of the chain repeats only what failed.
public sealed class IsolateFlaky : IProcessChainConsistencyChecker
{
    public bool IsConsistent(IReadOnlyList<Executable> processChain, ExecuteAction action, Workflow workflow) =>
        action.Service != "flaky";
}
