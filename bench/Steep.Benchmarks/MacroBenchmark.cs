using System.Diagnostics;
using System.Text;
using Steep.Core.Macros;
using Steep.Core.Models;
using Steep.Core.Serialization;
using Steep.Core.Validation;

namespace Steep.Benchmarks;

/// <summary>
/// Times macro expansion (<see cref="MacroPreprocessor.Expand"/>) of a workflow with 1,000 include actions, with
/// Stopwatch: warm-up first, then repeated runs, median and best. Target: ≤ 100 ms for 1,000 includes. Also shown, not
/// part of the target: validating the workflow with its includes and expanding it (what <c>steep run</c> does).
/// </summary>
internal static class MacroBenchmark
{
    private const int Includes = 1_000;
    private const double TargetMs = 100;

    private const string Macros = """
        - id: copy_twice
          parameters: [{id: i, type: input}, {id: o, type: output}]
          vars: [{id: tmp}]
          actions:
            - {id: first, type: execute, service: cp, inputs: [{id: input_file, var: i}], outputs: [{id: output_file, var: tmp}]}
            - {id: second, type: execute, service: cp, inputs: [{id: input_file, var: tmp}], outputs: [{id: output_file, var: o}]}
        - id: nested
          parameters: [{id: i, type: input}, {id: o, type: output}, {id: extra, type: input, default: x.txt}]
          actions:
            - {id: inner, type: include, macro: copy_twice, inputs: [{id: i, var: i}], outputs: [{id: o, var: middle}]}
            - {id: last, type: execute, service: cp, inputs: [{id: input_file, var: middle}], outputs: [{id: output_file, var: o}]}
        """;

    public static int Run(bool quick)
    {
        var macros = ModelReader.ReadMacros(Macros, "bench-macros.yaml").ToDictionary(m => m.Id);
        var flat = Workflow(Includes, nested: false);
        var nested = Workflow(Includes, nested: true);
        Console.WriteLine($"macro expansion benchmark ({(quick ? "quick" : "full")}), {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        for (int i = 0; i < 60; i++) { MacroPreprocessor.Expand(flat, macros); MacroPreprocessor.Expand(nested, macros); WorkflowValidator.ExpandValid(nested, macros); }

        int runs = quick ? 5 : 31;
        int failures = 0;
        Console.WriteLine($"{"case",-58} {"median",10} {"best",10} {"actions",8}");
        foreach (var (name, wf, full, target) in new[]
        {
            ("expand: 1,000 includes of a 2-action macro", flat, false, true),
            ("expand: 1,000 includes, each with a nested include", nested, false, true),
            ("validate + expand (ExpandValid), nested, for comparison", nested, true, false),
        })
        {
            var times = new List<double>();
            int count = 0;
            for (int r = 0; r < runs; r++)
            {
                var start = Stopwatch.GetTimestamp();
                var expanded = full ? WorkflowValidator.ExpandValid(wf, macros) : MacroPreprocessor.Expand(wf, macros);
                times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                count = expanded.Actions.Count;
            }
            times.Sort();
            double median = times[times.Count / 2];
            bool ok = !target || median <= TargetMs;
            if (!ok) failures++;
            Console.WriteLine($"{name,-58} {median,8:F2}ms {times[0],8:F2}ms {count,8:N0}{(target ? ok ? "  (target ≤ 100 ms: met)" : "  (target ≤ 100 ms: MISSED)" : "")}");
        }
        return failures == 0 ? 0 : 1;
    }

    /// <summary>A chain of <paramref name="n"/> includes, each reading the previous one's output; every tenth depends on the one before.</summary>
    private static Workflow Workflow(int n, bool nested)
    {
        var sb = new StringBuilder("api: 4.7.0\nvars: [{id: v0, value: in.txt}]\nactions:\n");
        for (int i = 0; i < n; i++)
        {
            var depends = i > 0 && i % 10 == 0 ? $", dependsOn: inc{i - 1}" : "";
            sb.Append($"  - {{id: inc{i}, type: include, macro: {(nested ? "nested" : "copy_twice")}{depends}, inputs: [{{id: i, var: v{i}}}], outputs: [{{id: o, var: v{i + 1}}}]}}\n");
        }
        return ModelReader.ReadWorkflow(sb.ToString(), "bench-workflow.yaml");
    }
}
