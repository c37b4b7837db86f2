using Steep.Core.Models;

namespace Steep.Persistence;

/// <summary>A process chain as stored: the public model plus what only the system needs.</summary>
/// <param name="Chain">The chain with submissionId, status, times, results and error message filled in.</param>
/// <param name="AgentId">The agent running (or that ran) it.</param>
/// <param name="RunNumber">How often it has been started.</param>
/// <param name="Sequence">Registration order across the whole store (ascending).</param>
public sealed record StoredProcessChain(ProcessChain Chain, string? AgentId, int RunNumber, long Sequence);
