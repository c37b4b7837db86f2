using Steep.Core.Models;

namespace Steep.Core.Tests.Support;

/// <summary>Short ways to look into generated chains.</summary>
internal static class ChainExtensions
{
    public static Executable Executable(this IEnumerable<ProcessChain> chains, string id) =>
        chains.SelectMany(c => c.Executables).Single(e => e.Id == id);

    public static ProcessChain ChainOf(this IEnumerable<ProcessChain> chains, string executableId) =>
        chains.Single(c => c.Executables.Any(e => e.Id == executableId));

    public static Argument Argument(this Executable e, string id) => e.Arguments.Single(a => a.Id == id);

    public static IReadOnlyList<string> Values(this Executable e, string id) =>
        e.Arguments.Where(a => a.Id == id).Select(a => a.Variable.Value).ToList();
}
