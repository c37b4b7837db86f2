using Steep.Core.Models;
using Steep.Core.Serialization;

namespace Steep.Core.Tests.Macros;

/// <summary>Macros and helpers shared by the macro tests.</summary>
internal static class MacroFixtures
{
    /// <summary>A copy macro: input i, output o, one internal variable.</summary>
    public const string CopyTwice = """
        - id: copy_twice
          parameters:
            - {id: i, type: input}
            - {id: o, type: output}
          vars:
            - {id: tmp}
          actions:
            - {id: first, type: execute, service: cp, inputs: [{id: input_file, var: i}], outputs: [{id: output_file, var: tmp}]}
            - {id: second, type: execute, service: cp, inputs: [{id: input_file, var: tmp}], outputs: [{id: output_file, var: o}]}
        - id: with_default
          parameters:
            - {id: i, type: input, default: default.txt}
            - {id: o, type: output}
          actions:
            - {id: cp, type: execute, service: cp, inputs: [{id: input_file, var: i}], outputs: [{id: output_file, var: o}]}
        - id: nested
          parameters:
            - {id: i, type: input}
            - {id: o, type: output}
          actions:
            - {id: inner, type: include, macro: copy_twice, inputs: [{id: i, var: i}], outputs: [{id: o, var: middle}]}
            - {id: last, type: execute, service: cp, inputs: [{id: input_file, var: middle}], outputs: [{id: output_file, var: o}]}
        - id: each
          parameters:
            - {id: files, type: input}
            - {id: copies, type: output}
          actions:
            - type: for
              id: loop
              input: files
              enumerator: f
              output: copies
              yieldToOutput: c
              actions:
                - {id: cp, type: execute, service: cp, inputs: [{id: input_file, var: f}], outputs: [{id: output_file, var: c}]}
        """;

    public static Dictionary<string, Macro> KnownMacros(string yaml = CopyTwice) =>
        ModelReader.ReadMacros(yaml, "macros.yaml").ToDictionary(m => m.Id);

    public static Workflow Workflow(string yaml) => ModelReader.ReadWorkflow(yaml, "workflow.yaml");

    /// <summary>Every action, for-each sub-actions included, in workflow order.</summary>
    public static List<WorkflowAction> All(IReadOnlyList<WorkflowAction> actions)
    {
        var all = new List<WorkflowAction>();
        foreach (var a in actions)
        {
            all.Add(a);
            if (a is ForEachAction f) all.AddRange(All(f.Actions));
        }
        return all;
    }

    public static ExecuteAction Exec(Workflow wf, string id) => All(wf.Actions).OfType<ExecuteAction>().Single(a => a.Id == id);
}
