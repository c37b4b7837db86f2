using Steep.Grains.Runtime;

namespace Steep.Grains.Tests.TestGrains;

/// <summary>A third grain, to show that chains without a cycle are allowed.</summary>
internal sealed class CycleCGrain : Grain;
