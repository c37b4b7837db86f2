using System.Text.Json.Serialization;

namespace Steep.Plugins;

/// <summary>One entry of a plugin descriptor file (<c>conf/plugins/*.yaml</c>), with Steep's field names.</summary>
public sealed record PluginDescriptor
{
    /// <summary>The plugin's type (<see cref="PluginTypes"/>).</summary>
    [JsonPropertyName("type"), JsonPropertyOrder(0)]
    public required string Type { get; init; }

    /// <summary>A name unique among all plugins.</summary>
    [JsonPropertyName("name"), JsonPropertyOrder(1)]
    public required string Name { get; init; }

    /// <summary>The plugin's own version, if the descriptor gives one.</summary>
    [JsonPropertyName("version"), JsonPropertyOrder(2), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Version { get; init; }

    /// <summary>The C# file (<c>.cs</c>, <c>.csx</c>) or assembly (<c>.dll</c>), as written in the descriptor.</summary>
    [JsonPropertyName("scriptFile"), JsonPropertyOrder(3)]
    public required string ScriptFile { get; init; }

    /// <summary>Plugins of the same type that run before this one (initializers, adapters, checkers); null for other types.</summary>
    [JsonPropertyName("dependsOn"), JsonPropertyOrder(4), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? DependsOn { get; init; }

    /// <summary>The <c>runtime</c> of service metadata a runtime plugin runs.</summary>
    [JsonPropertyName("supportedRuntime"), JsonPropertyOrder(5), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SupportedRuntime { get; init; }

    /// <summary>The output <c>dataType</c> an output adapter collects.</summary>
    [JsonPropertyName("supportedDataType"), JsonPropertyOrder(6), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SupportedDataType { get; init; }

    /// <summary>The service ids a progress estimator reads the output of.</summary>
    [JsonPropertyName("supportedServiceIds"), JsonPropertyOrder(7), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? SupportedServiceIds { get; init; }

    /// <summary>The full path of <see cref="ScriptFile"/> (not part of the HTTP answer).</summary>
    [JsonIgnore]
    public string ResolvedPath { get; init; } = "";

    /// <summary>Where the descriptor was read: file and entry (for error messages; not part of the HTTP answer).</summary>
    [JsonIgnore]
    public string Origin { get; init; } = "";
}
