namespace Steep.Core.Macros;

/// <summary>A workflow's include actions cannot be expanded: an unknown macro, a missing parameter or a cycle.</summary>
public sealed class MacroException(string message) : Exception(message);
