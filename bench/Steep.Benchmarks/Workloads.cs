using System.Text;
using Steep.Core.Generator;
using Steep.Core.Models;
using Steep.Core.Serialization;

namespace Steep.Benchmarks;

/// <summary>The workflows and services the generator benchmark runs, and the simulated results fed back.</summary>
internal static class Workloads
{
    public const string IdSeed = "bench";

    // the cp and join services of Steep's own test fixtures
    private const string ServicesYaml = """
        - id: cp
          name: cp
          description: Copy
          path: cp
          runtime: other
          parameters:
            - {id: input_file, name: Input file, description: Input file, type: input, cardinality: 1..1}
            - {id: output_file, name: Output file, description: Output file, type: output, cardinality: 1..1}
        - id: join
          name: join
          description: Join
          path: join.sh
          runtime: other
          parameters:
            - {id: i, name: Input files, description: Many inputs files, type: input, cardinality: 1..n}
            - {id: o, name: Output file, description: Single output file, type: output, cardinality: 1..1}
        """;

    public static IReadOnlyList<Service> Services() => ModelReader.ReadServices(ServicesYaml, "bench services");

    public static GeneratorOptions Options => new("/tmp", "/out", IdSeed);

    /// <summary>
    /// The JSON text of a for-each over <paramref name="n"/> predefined items whose body is cp then cp on the first
    /// one's output (one chain of two executables per item), yielding the second output to the for-each output,
    /// which a join action after the for-each consumes.
    /// </summary>
    public static string ForEachWorkflowText(int n)
    {
        var sb = new StringBuilder(64 + n * 28);
        sb.Append("""{"api":"4.4.0","name":"bench-foreach","vars":[{"id":"items","value":[""");
        for (int k = 0; k < n; k++)
        {
            if (k > 0) sb.Append(',');
            sb.Append("\"/data/in/item").Append(k).Append(".txt\"");
        }
        sb.Append("""
            ]},{"id":"i"},{"id":"o1"},{"id":"o2"},{"id":"forOut"},{"id":"joined"}],
            "actions":[
              {"id":"for","type":"for","input":"items","enumerator":"i","output":"forOut","yieldToOutput":"o2","actions":[
                {"id":"cp1","type":"execute","service":"cp",
                 "inputs":[{"id":"input_file","var":"i"}],"outputs":[{"id":"output_file","var":"o1"}]},
                {"id":"cp2","type":"execute","service":"cp",
                 "inputs":[{"id":"input_file","var":"o1"}],"outputs":[{"id":"output_file","var":"o2"}]}]},
              {"id":"join","type":"execute","service":"join",
               "inputs":[{"id":"i","var":"forOut"}],"outputs":[{"id":"o","var":"joined"}]}
            ]}
            """);
        return sb.ToString();
    }

    public static Workflow ForEachWorkflow(int n) => ModelReader.ReadWorkflow(ForEachWorkflowText(n), $"bench-foreach-{n}");

    /// <summary>
    /// A countdown loop: a for-each over one seed item whose cp output is yielded back to its input, so every result
    /// starts the next iteration until an empty result is fed.
    /// </summary>
    public static Workflow RecursiveWorkflow() => ModelReader.ReadWorkflow("""
        {"api":"4.4.0","name":"bench-countdown","vars":[{"id":"start","value":["/data/in/seed.txt"]},{"id":"i"},{"id":"o"}],
         "actions":[
           {"id":"loop","type":"for","input":"start","enumerator":"i","yieldToInput":"o","actions":[
             {"id":"cp","type":"execute","service":"cp",
              "inputs":[{"id":"input_file","var":"i"}],"outputs":[{"id":"output_file","var":"o"}]}]}
         ]}
        """, "bench-countdown");

    /// <summary>What an agent reports for a chain that succeeded: every output holds the file named by its argument.</summary>
    public static (Dictionary<string, IReadOnlyList<string>> Results, List<string> Executed) SucceededResults(ProcessChain chain)
    {
        var results = new Dictionary<string, IReadOnlyList<string>>();
        var executed = new List<string>(chain.Executables.Count);
        foreach (var e in chain.Executables)
        {
            executed.Add(e.Id);
            foreach (var a in e.Arguments)
                if (a.Type == ArgumentTypes.Output) results[a.Variable.Id] = [a.Variable.Value];
        }
        return (results, executed);
    }

    /// <summary>The results of a chain whose outputs are all empty (ends a yieldToInput loop).</summary>
    public static (Dictionary<string, IReadOnlyList<string>> Results, List<string> Executed) EmptyResults(ProcessChain chain)
    {
        var results = new Dictionary<string, IReadOnlyList<string>>();
        var executed = new List<string>(chain.Executables.Count);
        foreach (var e in chain.Executables)
        {
            executed.Add(e.Id);
            foreach (var a in e.Arguments)
                if (a.Type == ArgumentTypes.Output) results[a.Variable.Id] = [];
        }
        return (results, executed);
    }
}
