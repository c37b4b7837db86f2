using Steep.Core.Models;

namespace Steep.Core.Validation;

/// <summary>
/// The rules only a macro definition has (Steep 6.9): parameter ids are unique, parameters are not declared again as
/// variables, outputs have no default, inputs have no value, inputs are only read and outputs only written, and no
/// parameter is an enumerator.
/// </summary>
internal sealed class MacroRules(Macro macro, List<string> problems)
{
    private string Name => $"macro '{macro.Id}'";

    public void Run()
    {
        var seen = new HashSet<string>();
        foreach (var p in macro.Parameters)
        {
            if (string.IsNullOrWhiteSpace(p.Id))
                problems.Add($"A parameter of {Name} has no 'id'; include actions bind parameters by id.");
            else if (!seen.Add(p.Id))
                problems.Add($"Duplicate parameter '{p.Id}' of {Name}: it is declared more than once; give each parameter a unique id.");
            if (p.Type is not (ArgumentTypes.Input or ArgumentTypes.Output))
                problems.Add($"Parameter '{p.Id}' of {Name} has type '{p.Type}'; use 'input' or 'output'.");
            if (p.Type == ArgumentTypes.Output && p.Default is not null)
                problems.Add($"Output parameter '{p.Id}' of {Name} has a default value; remove it: outputs get their value when the workflow runs.");
        }

        var inputs = macro.Parameters.Where(p => p.Type != ArgumentTypes.Output).Select(p => p.Id).ToHashSet();
        var outputs = macro.Parameters.Where(p => p.Type == ArgumentTypes.Output).Select(p => p.Id).ToHashSet();
        var all = macro.Parameters.Select(p => p.Id).ToHashSet();
        foreach (var v in macro.Vars)
        {
            if (!all.Contains(v.Id)) continue;
            // a variable defined where it is used (var: {id: i, value: 5}) is declared this way too
            if (v.Value is not null && inputs.Contains(v.Id))
                problems.Add($"Variable '{v.Id}' has a value but refers to input parameter '{v.Id}' of {Name}; remove the value (and any declaration): its value is given by the include action.");
            else
                problems.Add($"Variable '{v.Id}' is already declared as a parameter of {Name}; remove it from 'vars': parameters are implicit variables.");
        }

        Walk(macro.Actions, "actions", (a, where) =>
        {
            foreach (var o in Outputs(a))
            {
                if (inputs.Contains(o))
                    problems.Add($"{where}: input parameter '{o}' of {Name} is used as an output; a macro input may only be read, use another variable for the output.");
            }
            foreach (var i in Inputs(a))
            {
                if (outputs.Contains(i))
                    problems.Add($"{where}: output parameter '{i}' of {Name} is used as an input; a macro output may only be written, read the variable it was written from instead.");
            }
            if (a is ForEachAction f && all.Contains(f.Enumerator))
                problems.Add($"{where}: parameter '{f.Enumerator}' of {Name} is used as an enumerator; macro parameters are inputs or outputs, use another variable as the enumerator.");
        });
    }

    private static IEnumerable<string> Outputs(WorkflowAction a) => a switch
    {
        ExecuteAction e => e.Outputs.Select(o => o.Var),
        IncludeAction i => i.Outputs.Select(o => o.Var),
        ForEachAction { Output: { } o } => [o],
        _ => [],
    };

    private static IEnumerable<string> Inputs(WorkflowAction a) => a switch
    {
        ExecuteAction e => e.Inputs.Concat(e.Parameters).Where(p => p.Var is not null).Select(p => p.Var!),
        IncludeAction i => i.Inputs.Where(p => p.Var is not null).Select(p => p.Var!),
        ForEachAction f => [f.Input],
        _ => [],
    };

    private static void Walk(IReadOnlyList<WorkflowAction> actions, string path, Action<WorkflowAction, string> visit)
    {
        for (int i = 0; i < actions.Count; i++)
        {
            var a = actions[i];
            visit(a, a.Id is { Length: > 0 } id ? $"Action '{id}' of the macro" : $"Action {path}[{i}] of the macro");
            if (a is ForEachAction f) Walk(f.Actions, $"{path}[{i}].actions", visit);
        }
    }
}
