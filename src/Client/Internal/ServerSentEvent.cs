namespace Steep.Client.Internal;

/// <summary>One dispatched server-sent event: its type (<c>message</c> when none was given) and its data lines joined by '\n'.</summary>
internal readonly record struct ServerSentEvent(string Type, string Data, string? Id);
