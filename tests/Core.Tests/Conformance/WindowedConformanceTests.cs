using Steep.Core.Models;
using Steep.Core.Serialization;
using Steep.Core.Tests.Support;

namespace Steep.Core.Tests.Conformance;

/// <summary>
/// Lazy unrolling gives the same run as unrolling at once: every generator case of the shared Steep 5 and 6 folders,
/// run to its end with a perfect executor, windowed (1 and 3 chains open at most, chains finishing together or one at
/// a time, and with a reload before every step) produces the same chains (up to generated names), the same values in
/// the same order, and the same end as the unbounded run.
/// </summary>
public sealed class WindowedConformanceTests
{
    /// <summary>Loops that yield to their input run this many rounds (the executor then yields nothing).</summary>
    private const int LoopCut = 8;

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        if (ConformanceFolder.Path is not { } folder)
        {
            data.Add("(skipped)", "(skipped)");
            return data;
        }
        var seen = new HashSet<string>();
        foreach (var set in new[] { "steep-5", "steep-6" })
        {
            var dir = Path.Combine(folder, "..", set);
            if (!File.Exists(Path.Combine(dir, "manifest.yaml"))) continue;
            foreach (var c in ConformanceRunner.Entries(ConformanceRunner.Manifest(dir), "cases"))
            {
                // macro cases need the include expansion (not the generator's part); a '#n' names one document of many
                if (c.Get("macros") is not null) continue;
                var workflow = Py.Str(c["workflow"]);
                if (workflow.Contains('#') || !seen.Add(set + "/" + workflow)) continue;
                data.Add(set, workflow);
            }
        }
        return data;
    }

    [ConformanceTheory]
    [MemberData(nameof(Cases))]
    public void A_windowed_run_ends_like_the_unbounded_one(string set, string workflowFile)
    {
        var dir = Path.GetFullPath(Path.Combine(ConformanceFolder.Path!, "..", set));
        var services = ModelReader.ReadServices(File.ReadAllText(Path.Combine(dir, "services.yaml")), "services.yaml");
        var path = Path.Combine(dir, workflowFile);
        var workflow = ModelReader.ReadWorkflow(File.ReadAllText(path), path);

        var unbounded = SimulatedRun.Run(workflow, services, window: null, loopCut: LoopCut);
        foreach (var (window, oneAtATime, reload) in new[] { (1, false, false), (1, true, false), (3, false, false), (3, true, true) })
        {
            var windowed = SimulatedRun.Run(workflow, services, window, oneAtATime, reload, LoopCut);
            var how = $"window {window}{(oneAtATime ? ", one chain at a time" : "")}{(reload ? ", reloaded each step" : "")}";
            Assert.True(unbounded.Error == windowed.Error, $"{how}: error '{windowed.Error}', unbounded '{unbounded.Error}'");
            Assert.True(unbounded.Finished == windowed.Finished, $"{how}: finished {windowed.Finished}, unbounded {unbounded.Finished}");
            Assert.Equal(unbounded.Chains, windowed.Chains);
            Assert.Equal(unbounded.Values, windowed.Values);
        }
    }
}
