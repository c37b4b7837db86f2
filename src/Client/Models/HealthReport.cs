namespace Steep.Client.Models;

/// <summary>The answer of <c>GET /health</c>: whether the server works, and the health of each of its parts.</summary>
/// <param name="Healthy">True when every part works (HTTP 200); false when the server answered 503.</param>
/// <param name="Parts">The parts the server reported, in its order.</param>
public sealed record HealthReport(bool Healthy, IReadOnlyList<HealthPart> Parts);
