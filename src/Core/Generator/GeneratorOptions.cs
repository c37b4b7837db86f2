namespace Steep.Core.Generator;

/// <summary>Where generated output files go and how generated names start.</summary>
/// <param name="TmpPath">Base directory of temporary outputs.</param>
/// <param name="OutPath">Base directory of outputs with <c>store: true</c>.</param>
/// <param name="IdSeed">Prefix of every generated name; random when null. Makes names unique across generators.</param>
public sealed record GeneratorOptions(string TmpPath = "/tmp", string OutPath = "/out", string? IdSeed = null);
