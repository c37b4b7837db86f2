namespace Steep.Plugins;

/// <summary>The version of the plugin API in this assembly; plugins written against 1.x run on every 1.x.</summary>
public static class PluginApi
{
    /// <summary>The API version (semantic versioning: a new major version may break plugins).</summary>
    public const string Version = "1.0.0";
}
