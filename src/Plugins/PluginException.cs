namespace Steep.Plugins;

/// <summary>A plugin cannot be used: a bad descriptor, a missing file, a compile error, no implementing class, a failing initializer.</summary>
public sealed class PluginException(string message) : Exception(message);
