namespace Steep.Core.Tests.Conformance;

/// <summary>The generator's answer differs from the expected one (check.py's Mismatch).</summary>
internal sealed class Mismatch(string message) : Exception(message);
