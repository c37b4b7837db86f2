namespace Steep.Grains;

/// <summary>A submission's status and process chain counts after a change.</summary>
public sealed record SubmissionEvent(string SubmissionId, string Status, int Total, int Running, int Succeeded, int Failed, int Cancelled);
