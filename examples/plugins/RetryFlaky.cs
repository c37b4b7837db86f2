// process chain adapter: every executable of the service "flaky" gets a retry policy of 3 attempts, whatever its
// metadata says (the service fails now and then).
public sealed class RetryFlaky : IProcessChainAdapter
{
    public Task<IReadOnlyList<ProcessChain>> AdaptAsync(IReadOnlyList<ProcessChain> processChains, Workflow workflow, CancellationToken ct)
    {
        IReadOnlyList<ProcessChain> result = processChains.Select(chain => chain with
        {
            Executables = chain.Executables
                .Select(e => e.ServiceId == "flaky" ? e with { Retries = new RetryPolicy { MaxAttempts = 3 } } : e)
                .ToList(),
        }).ToList();
        return Task.FromResult(result);
    }
}
