namespace Steep.Client.Events;

/// <summary>
/// An event of a type this client does not know, or whose data it could not read; <see cref="SteepEvent.Type"/> and
/// <see cref="SteepEvent.Data"/> hold what the server sent.
/// </summary>
public sealed record UnknownEvent : SteepEvent;
