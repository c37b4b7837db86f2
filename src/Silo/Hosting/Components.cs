using Steep.Core.Serialization;
using Steep.Silo.Configuration;

namespace Steep.Silo.Hosting;

/// <summary>
/// Which of Steep's components a silo runs, as in Steep (<c>steep.http.enabled</c>, <c>steep.controller.enabled</c>,
/// <c>steep.scheduler.enabled</c>, <c>steep.agent.enabled</c>; all on by default). In a cluster each silo may run a
/// part: the controller (submissions) and the scheduler are placed only on silos that run them, agents only exist on
/// silos that run the agent, the HTTP API only listens where it is enabled.
/// </summary>
/// <param name="Http">The HTTP API.</param>
/// <param name="Controller">Submissions are driven on this silo (their grains may be placed here).</param>
/// <param name="Scheduler">The cluster's one scheduler may be placed here.</param>
/// <param name="Agent">Local agents run chains on this machine.</param>
public sealed record Components(bool Http, bool Controller, bool Scheduler, bool Agent)
{
    /// <summary>Everything, as <c>steep serve</c> runs by default.</summary>
    public static readonly Components All = new(true, true, true, true);

    /// <summary>Only agents, as <c>steep agent</c> runs.</summary>
    public static readonly Components AgentOnly = new(false, false, false, true);

    /// <summary>The silo metadata key that tells other silos whether <paramref name="component"/> runs here.</summary>
    public static string MetadataKey(string component) => "steep." + component;

    /// <summary>The switches of <paramref name="config"/> over <paramref name="defaults"/>.</summary>
    /// <exception cref="ModelFormatException">a value is not true or false (the message names the key).</exception>
    public static Components From(SteepConfiguration config, Components defaults) => new(
        config.GetBool("steep.http.enabled", defaults.Http),
        config.GetBool("steep.controller.enabled", defaults.Controller),
        config.GetBool("steep.scheduler.enabled", defaults.Scheduler),
        config.GetBool("steep.agent.enabled", defaults.Agent));
}
