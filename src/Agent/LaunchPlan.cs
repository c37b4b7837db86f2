namespace Steep.Agent;

/// <summary>The program to start for an executable, with its argument list.</summary>
/// <param name="FileName">The resolved program file.</param>
/// <param name="Arguments">The arguments, passed as a list (no shell).</param>
/// <param name="ContainerName">For the Docker runtime, the container's name (to kill it on cancellation).</param>
internal sealed record LaunchPlan(string FileName, IReadOnlyList<string> Arguments, string? ContainerName);
