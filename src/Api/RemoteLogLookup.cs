namespace Steep.Api;

/// <summary>Where another silo's copy of a log was looked for: found, or why it cannot be had now.</summary>
/// <param name="Log">The log, when a silo has it.</param>
/// <param name="Unavailable">Why not, when the silo that holds it is not running (a message for the client).</param>
public sealed record RemoteLogLookup(RemoteLog? Log, string? Unavailable);
