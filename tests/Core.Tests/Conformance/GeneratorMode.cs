namespace Steep.Core.Tests.Conformance;

/// <summary>How a case drives the generator between steps.</summary>
public enum GeneratorMode
{
    /// <summary>One generator object for all steps.</summary>
    OneGenerator,

    /// <summary>The state is saved and loaded into a new generator before every step, as a restarted process would.</summary>
    ReloadedEachStep,
}
