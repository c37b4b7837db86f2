namespace Steep.Client;

/// <summary>A process chain's log file, or the part of it that was asked for.</summary>
/// <param name="Text">The text (UTF-8). A byte range may begin or end inside a multi-byte character, which then shows as U+FFFD.</param>
/// <param name="Offset">The offset in bytes of the first byte of <paramref name="Text"/> in the log file.</param>
/// <param name="Length">The number of bytes received.</param>
/// <param name="TotalLength">The size of the whole log file in bytes, when the server said it.</param>
/// <param name="IsPartial">True when the server answered a range request with a part of the file (HTTP 206).</param>
public sealed record ProcessChainLog(string Text, long Offset, long Length, long? TotalLength, bool IsPartial);
