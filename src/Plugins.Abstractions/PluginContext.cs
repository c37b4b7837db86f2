namespace Steep.Plugins;

/// <summary>What an initializer is told about the steep it runs in.</summary>
/// <param name="Home">Steep's home folder (the one holding <c>conf/</c>).</param>
/// <param name="DataDirectory">The data directory (database, logs, generated files).</param>
public sealed record PluginContext(string Home, string DataDirectory);
