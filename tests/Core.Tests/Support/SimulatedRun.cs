using System.Text;
using System.Text.RegularExpressions;
using Steep.Core.Generator;
using Steep.Core.Models;

namespace Steep.Core.Tests.Support;

/// <summary>
/// Runs a workflow to its end the way a submission does, with a perfect executor: every chain succeeds and each output
/// variable gets one value named after the executable and parameter that produced it (not after the generated file
/// name), so runs that generate names in a different order still feed the same values downstream. With a window, each
/// step gets the budget the submission grain gives it: the window minus the chains still open.
/// </summary>
internal sealed partial class SimulatedRun
{
    /// <summary>Prefix of every generated name; '9' is not in the generator's alphabet, so the names are easy to find.</summary>
    public const string Seed = "zq9";

    private SimulatedRun() { }

    /// <summary>Every chain generated, normalised (generated names replaced), sorted.</summary>
    public List<string> Chains { get; } = [];

    /// <summary>The generator's values at the end, normalised, sorted by key (the workflow's results).</summary>
    public List<string> Values { get; } = [];

    /// <summary>The generator's error, null when it ran to its end.</summary>
    public string? Error { get; private set; }

    public bool Finished { get; private set; }

    /// <summary>The most chains open (generated, not finished) at once.</summary>
    public int MaxOpen { get; private set; }

    public int Steps { get; private set; }

    /// <param name="window">The most chains open at once that the budget allows; null: unroll everything at once.</param>
    /// <param name="oneAtATime">Finish one chain per step (else every open chain in each step).</param>
    /// <param name="reload">Save and reload the generator before every step, as a restarted process would.</param>
    /// <param name="loopCut">From this iteration on, outputs get no files, so that loops yielding to their input end.</param>
    public static SimulatedRun Run(Workflow workflow, IReadOnlyList<Service> services, int? window, bool oneAtATime = false,
        bool reload = false, int loopCut = int.MaxValue)
    {
        var run = new SimulatedRun();
        var generator = new ProcessChainGenerator(workflow, services, new GeneratorOptions("/tmp/", "/out/", Seed));
        var open = new Queue<ProcessChain>();
        Dictionary<string, IReadOnlyList<string>>? results = null;
        List<string>? executed = null;
        var all = new List<ProcessChain>();
        try
        {
            while (true)
            {
                if (++run.Steps > 100_000) throw new InvalidOperationException("the run does not end");
                if (reload) generator = ProcessChainGenerator.Load(generator.SaveState(), services);
                int? budget = window is { } w ? w - open.Count : null;
                foreach (var c in generator.Generate(results, executed, budget)) { open.Enqueue(c); all.Add(c); }
                run.MaxOpen = Math.Max(run.MaxOpen, open.Count);
                results = new Dictionary<string, IReadOnlyList<string>>();
                executed = [];
                if (open.Count == 0)
                {
                    if (generator.HasMoreToUnroll) continue;
                    break;
                }
                int finishing = oneAtATime ? 1 : open.Count;
                for (int i = 0; i < finishing; i++)
                {
                    var chain = open.Dequeue();
                    foreach (var e in chain.Executables)
                    {
                        executed.Add(e.Id);
                        foreach (var a in e.Arguments)
                            if (a.Type == ArgumentTypes.Output) results[a.Variable.Id] = ResultOf(e.Id, a.Id, loopCut);
                    }
                }
            }
            // the closing steps of `steep plan`: nothing more, and finished
            run.Finished = generator.Generate(results, executed).Count == 0 && generator.IsFinished;
        }
        catch (GeneratorException e)
        {
            run.Error = Normalise(e.Message);
        }
        run.Chains.AddRange(all.Select(Describe).Order(StringComparer.Ordinal));
        run.Values.AddRange(generator.Values.Select(p => $"{Normalise(p.Key)} = {Normalise(Show(p.Value))}").Order(StringComparer.Ordinal));
        return run;
    }

    /// <summary>
    /// One file named after its producer; nothing from iteration <paramref name="loopCut"/> of a for-each on, so that
    /// loops which yield to their own input end (they stop when an iteration yields nothing).
    /// </summary>
    private static IReadOnlyList<string> ResultOf(string executableId, string parameterId, int loopCut)
    {
        foreach (var part in executableId.Split('$').Skip(1))
            if (int.TryParse(part, out var iteration) && iteration >= loopCut) return [];
        return [$"/res/{executableId}/{parameterId}"];
    }

    private static string Describe(ProcessChain c)
    {
        var sb = new StringBuilder();
        sb.Append('[').Append(string.Join(',', c.RequiredCapabilities)).Append("] prio ").Append(c.Priority);
        foreach (var e in c.Executables)
        {
            sb.Append(" | ").Append(e.Id).Append(' ').Append(e.ServiceId).Append(' ').Append(e.Path);
            foreach (var a in e.Arguments) sb.Append(' ').Append(a.Id).Append('=').Append(a.Variable.Id).Append(':').Append(a.Variable.Value);
            foreach (var a in e.RuntimeArgs) sb.Append(" rt ").Append(a.Variable.Id).Append(':').Append(a.Variable.Value);
        }
        return Normalise(sb.ToString());
    }

    private static string Show(object? v) => v is List<object?> l ? "[" + string.Join(", ", l.Select(Show)) + "]" : v?.ToString() ?? "null";

    private static string Normalise(string s) => GeneratedName().Replace(s, "#");

    [GeneratedRegex(Seed + "[a-z2-7]+")]
    private static partial Regex GeneratedName();
}
