namespace Steep.Core.Tests.Conformance;

/// <summary>A theory over the shared conformance cases; skipped as a whole, with the reason, where they are absent.</summary>
public sealed class ConformanceTheoryAttribute : TheoryAttribute
{
    public ConformanceTheoryAttribute()
    {
        // xunit reads Skip from the attribute instance, so it can be decided when the tests are discovered
        if (ConformanceFolder.SkipReason is { } reason) Skip = reason;
    }
}
