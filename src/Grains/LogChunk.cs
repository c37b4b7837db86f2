namespace Steep.Grains;

/// <summary>A part of a log file on some silo: the file's size when it was read, and the bytes asked for (fewer at its end).</summary>
/// <param name="Size">The file's length in bytes.</param>
/// <param name="Data">The bytes read from the offset asked for.</param>
[GenerateSerializer, Immutable, Alias("steep.LogChunk")]
public sealed record LogChunk([property: Id(0)] long Size, [property: Id(1)] byte[] Data);
