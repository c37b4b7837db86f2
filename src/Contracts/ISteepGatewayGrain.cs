namespace Steep.Contracts;

/// <summary>
/// The entry point of Orleans clients: submits workflows and lists a submission's process chains. A stateless worker
/// (any key; use 0): every silo answers locally.
/// </summary>
[Alias("steep.ISteepGatewayGrain")]
public interface ISteepGatewayGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Validates and stores a workflow (YAML or JSON text, Steep's workflow API 4.x) with the silo's service metadata,
    /// then starts it. A rejected workflow stores nothing and comes back with every problem.
    /// </summary>
    [Alias("Submit")]
    Task<SubmitResult> SubmitAsync(string workflow);

    /// <summary>The process chains of a submission in registration order (at most <paramref name="size"/> from <paramref name="offset"/>).</summary>
    [Alias("GetProcessChains")]
    Task<IReadOnlyList<ProcessChainSummary>> GetProcessChainsAsync(string submissionId, int offset, int size);
}
