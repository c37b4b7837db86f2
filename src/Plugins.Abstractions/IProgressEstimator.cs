using Steep.Core.Models;

namespace Steep.Plugins;

/// <summary>
/// A <c>progressEstimator</c> plugin: called for each output line of a running executable of one of its
/// <c>supportedServiceIds</c>; its answer is the chain's <c>estimatedProgress</c>. Keep it cheap. An exception is
/// logged once and the estimate is dropped; the chain runs on.
/// </summary>
public interface IProgressEstimator
{
    /// <summary>A progress from 0.0 to 1.0, or null when the lines say nothing; the newest line is last.</summary>
    double? Estimate(Executable executable, IReadOnlyList<string> recentLines);
}
