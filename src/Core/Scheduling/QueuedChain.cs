using Steep.Core.Models;

namespace Steep.Core.Scheduling;

/// <summary>A REGISTERED process chain waiting to be assigned to an agent.</summary>
/// <param name="Id">The chain id.</param>
/// <param name="SubmissionId">Its submission.</param>
/// <param name="RequiredCapabilities">What an agent must provide to run it.</param>
/// <param name="Sequence">Registration order; lower runs first among chains of the same priority.</param>
/// <param name="Priority">Higher runs first (Steep 6: a chain's priority, by default its workflow's; 0 when unset).</param>
public sealed record QueuedChain(string Id, string SubmissionId, IReadOnlyList<string> RequiredCapabilities, long Sequence, int Priority = 0)
{
    /// <summary>
    /// The chain itself, as just registered (never run), when its submission hands it over: it travels with the
    /// assignment to the agent's silo, whose activation of the chain then need not read it back from the registry. Null
    /// for chains that may have run before (requeued, or registered before a restart): those are read.
    /// </summary>
    public ProcessChain? Chain { get; init; }
}
