namespace Steep.Persistence;

/// <summary>The input of one generator step (results and executed ids, as UTF-8 JSON), in submission order.</summary>
/// <param name="Step">1-based, consecutive per submission.</param>
/// <param name="Input">Opaque to the store.</param>
public sealed record GeneratorStep(long Step, byte[] Input);
