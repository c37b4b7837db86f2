namespace Steep.Core.Serialization;

/// <summary>A document that cannot be read: its syntax is wrong or a field has the wrong shape.</summary>
public sealed class ModelFormatException(string message) : Exception(message);
