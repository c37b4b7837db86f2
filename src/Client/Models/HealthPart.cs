namespace Steep.Client.Models;

/// <summary>The health of one part of the server, as reported by <c>GET /health</c>.</summary>
/// <param name="Name">The part's name (such as the store or the agents).</param>
/// <param name="Healthy">Whether the part works.</param>
/// <param name="Count">A count the part reports (for instance the number of agents), if any.</param>
/// <param name="Message">What is wrong, if anything.</param>
public sealed record HealthPart(string Name, bool Healthy, long? Count, string? Message);
