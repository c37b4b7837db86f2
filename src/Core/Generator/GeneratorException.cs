namespace Steep.Core.Generator;

/// <summary>The workflow cannot be turned into process chains (unknown service, cardinality violated, …).</summary>
public sealed class GeneratorException(string message) : Exception(message);
