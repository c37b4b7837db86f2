namespace Steep.Agent;

/// <summary>A loaded plugin with the name its descriptor gives it (error messages name the plugin).</summary>
/// <typeparam name="T">The plugin interface.</typeparam>
/// <param name="Name">The descriptor's <c>name</c>.</param>
/// <param name="Plugin">The plugin object.</param>
public sealed record NamedPlugin<T>(string Name, T Plugin) where T : class;
