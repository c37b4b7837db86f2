namespace Steep.Grains;

/// <summary>A process chain's new status.</summary>
public sealed record ProcessChainEvent(string ProcessChainId, string SubmissionId, string Status, string? AgentId, TimeSpan? Duration, string? ServiceId);
