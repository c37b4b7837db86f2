namespace Steep.Plugins;

/// <summary>
/// An <c>initializer</c> plugin: called once at start, before the silo and the agents start and before any submission
/// is processed; initializers run one after another in <c>dependsOn</c> order. An exception stops start-up.
/// </summary>
public interface IInitializer
{
    /// <summary>Does the plugin's one-time work.</summary>
    Task InitializeAsync(PluginContext context, CancellationToken ct);
}
