namespace Steep.Grains;

/// <summary>What a recovery after lost silos did.</summary>
/// <param name="AgentsForgotten">Agents of the lost silos the scheduler dropped.</param>
/// <param name="ChainsRequeued">RUNNING chains put back to REGISTERED because their agent was gone.</param>
/// <param name="SubmissionsResumed">Unfinished submissions started again.</param>
/// <param name="Failed">Grain calls that failed or timed out (the recovery should be tried again).</param>
public sealed record FailoverReport(int AgentsForgotten, int ChainsRequeued, int SubmissionsResumed, int Failed);
