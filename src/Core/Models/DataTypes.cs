namespace Steep.Core.Models;

/// <summary>Data types with special meaning.</summary>
public static class DataTypes
{
    /// <summary>The default.</summary>
    public const string String = "string";
    /// <summary>A directory: outputs are created and searched recursively; inputs get the common parent.</summary>
    public const string Directory = "directory";
    /// <summary>A boolean: with a label, the label alone is passed when true and nothing when false.</summary>
    public const string Boolean = "boolean";
    /// <summary>An output that is the file when it exists and an empty list otherwise.</summary>
    public const string FileOrEmptyList = "fileOrEmptyList";
}
