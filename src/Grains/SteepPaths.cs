namespace Steep.Grains;

/// <summary>Base directories of generated files; each submission gets a folder of its own below them.</summary>
public sealed record SteepPaths(string TmpPath, string OutPath, string LogPath);
