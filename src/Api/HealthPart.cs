namespace Steep.Api;

/// <summary>The health of one part of an instance, as reported by <c>GET /health</c>.</summary>
/// <param name="Name">The part's name ("store", "runtime", "agents").</param>
/// <param name="Healthy">Whether the part works.</param>
/// <param name="Count">A count that goes with the part (e.g. the number of agents), if any.</param>
/// <param name="Message">Why the part is unhealthy, if it is.</param>
public sealed record HealthPart(string Name, bool Healthy, int? Count = null, string? Message = null);
