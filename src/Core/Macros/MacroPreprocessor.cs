using System.Text.Json.Nodes;
using Steep.Core.Models;

namespace Steep.Core.Macros;

/// <summary>
/// Replaces every include action of a workflow with the actions of its macro, as Steep's MacroPreprocessor does:
/// macro parameters are bound to the include's variables (inputs without a value get the parameter's default),
/// every other variable and every action id of the macro is renamed to <c>$include$macro$id</c> so that two includes of
/// one macro never share names, includes inside macros are expanded in turn, and a <c>dependsOn</c> that names an
/// include action is replaced by the ids of all actions the include expanded to. The include action's own
/// <c>dependsOn</c> is passed on to the macro's top-level actions.
/// </summary>
public static class MacroPreprocessor
{
    /// <summary>How deeply includes may nest: far beyond any real macro library, it only stops runaway expansions.</summary>
    public const int MaxDepth = 64;

    /// <summary>True when <paramref name="actions"/> (or any for-each inside them) holds an include action.</summary>
    public static bool HasIncludes(IReadOnlyList<WorkflowAction> actions)
    {
        foreach (var a in actions)
        {
            if (a is IncludeAction) return true;
            if (a is ForEachAction f && HasIncludes(f.Actions)) return true;
        }
        return false;
    }

    /// <summary>The workflow with every include expanded; the workflow itself when it has none.</summary>
    /// <exception cref="MacroException">a macro is unknown, a parameter without default is not given, or macros include each other.</exception>
    public static Workflow Expand(Workflow workflow, IReadOnlyDictionary<string, Macro> macros)
    {
        if (!HasIncludes(workflow.Actions)) return workflow;
        var state = new Expansion(macros, workflow);
        var actions = state.ExpandList(workflow.Actions, []);
        actions = DependencyUpdate.Apply(actions);
        var vars = new List<Variable>(workflow.Vars);
        var declared = new HashSet<string>(workflow.Vars.Select(v => v.Id));
        foreach (var v in state.NewVars) if (declared.Add(v.Id)) vars.Add(v);
        return workflow with { Vars = vars, Actions = actions, MacrosExpanded = true };
    }

    /// <summary>The id of a macro-internal name after expansion: <c>$include$macro$id</c>.</summary>
    internal static string NewId(string includeId, string macroId, string id) => $"${includeId.TrimStart('$')}${macroId}${id}";

    private sealed class Expansion(IReadOnlyDictionary<string, Macro> macros, Workflow workflow)
    {
        private readonly HashSet<string> _usedIds = CollectIds(workflow.Actions);
        private int _anonymous;

        public List<Variable> NewVars { get; } = [];

        private readonly HashSet<string> _newVarIds = new();

        /// <summary>Declares a variable the expansion needs (a default or a literal input), once per id.</summary>
        public void Declare(string id, JsonNode? value)
        {
            if (_newVarIds.Add(id)) NewVars.Add(new Variable { Id = id, Value = value?.DeepClone() });
        }

        private static HashSet<string> CollectIds(IReadOnlyList<WorkflowAction> actions)
        {
            var ids = new HashSet<string>();
            void Walk(IReadOnlyList<WorkflowAction> list)
            {
                foreach (var a in list)
                {
                    if (a.Id is { } id) ids.Add(id);
                    if (a is ForEachAction f) Walk(f.Actions);
                }
            }
            Walk(actions);
            return ids;
        }

        /// <summary>An id for an action that has none; distinct from every id the user wrote.</summary>
        public string Generated(string stem)
        {
            string id;
            do id = $"{stem}{++_anonymous}"; while (!_usedIds.Add(id));
            return id;
        }

        /// <summary>Expands includes in a list (depth first, in order); <paramref name="chain"/> are the macros being expanded.</summary>
        public List<WorkflowAction> ExpandList(IReadOnlyList<WorkflowAction> actions, List<string> chain)
        {
            var result = new List<WorkflowAction>(actions.Count);
            foreach (var a in actions)
            {
                switch (a)
                {
                    case IncludeAction inc:
                        result.AddRange(ExpandInclude(inc, chain));
                        break;
                    case ForEachAction f when HasIncludes(f.Actions):
                        result.Add(f with { Actions = ExpandList(f.Actions, chain) });
                        break;
                    default:
                        result.Add(a);
                        break;
                }
            }
            return result;
        }

        private List<WorkflowAction> ExpandInclude(IncludeAction inc, List<string> chain)
        {
            if (!macros.TryGetValue(inc.Macro, out var macro))
                throw new MacroException($"Unable to find macro '{inc.Macro}' (included by {Describe(inc)}); pass the file defining it with --macros or put it in conf/macros.");
            int at = chain.IndexOf(macro.Id);
            if (at >= 0)
                throw new MacroException($"Include cycle: {string.Join(" -> ", chain.Skip(at).Append(macro.Id))}; a macro must not include itself, directly or through other macros.");
            if (chain.Count >= MaxDepth)
                throw new MacroException($"Includes nest more than {MaxDepth} levels deep ({string.Join(" -> ", chain.Take(5))} -> ...); flatten the macros.");

            var includeId = inc.Id ?? Generated("include");
            var binding = new Binding(this, macro, includeId);
            binding.CollectParameters(inc);
            foreach (var v in macro.Vars) Declare(binding.Rename(v.Id), v.Value);
            var expanded = binding.ExpandActions(macro.Actions);
            if (inc.DependsOn.Count > 0)
            {
                for (int i = 0; i < expanded.Count; i++)
                    expanded[i] = expanded[i] with { DependsOn = [.. expanded[i].DependsOn, .. inc.DependsOn.Where(d => !expanded[i].DependsOn.Contains(d))] };
            }
            var inner = new List<string>(chain) { macro.Id };
            return ExpandList(expanded, inner);
        }

        private static string Describe(IncludeAction inc) => inc.Id is { } id ? $"include action '{id}'" : "an include action";
    }

    /// <summary>One include of one macro: its parameter bindings and the renaming of the macro's own names.</summary>
    private sealed class Binding(Expansion expansion, Macro macro, string includeId)
    {
        private readonly Dictionary<string, InputParameter> _inputs = new(); // macro input id -> what the include gives
        private readonly Dictionary<string, string> _outputs = new();        // macro output id -> workflow variable
        private readonly Dictionary<string, string> _renames = new();

        public string Rename(string id)
        {
            if (!_renames.TryGetValue(id, out var r)) _renames[id] = r = NewId(includeId, macro.Id, id);
            return r;
        }

        public void CollectParameters(IncludeAction inc)
        {
            foreach (var p in macro.Parameters)
            {
                if (p.Type == ArgumentTypes.Output)
                {
                    var given = inc.Outputs.FirstOrDefault(o => o.Id == p.Id)
                        ?? throw new MacroException($"Missing output parameter '{p.Id}' of macro '{macro.Id}' in include action '{includeId}'; add it to the action's outputs with the variable that receives it.");
                    _outputs[p.Id] = given.Var;
                    continue;
                }
                var input = inc.Inputs.FirstOrDefault(i => i.Id == p.Id);
                if (input is null && p.Default is not null)
                {
                    // as in Steep: a variable of its own holds the default
                    var id = NewId(includeId, macro.Id, p.Id) + "$default";
                    expansion.Declare(id, p.Default);
                    input = new InputParameter { Id = p.Id, Var = id };
                }
                _inputs[p.Id] = input
                    ?? throw new MacroException($"Missing input parameter '{p.Id}' of macro '{macro.Id}' in include action '{includeId}': it has no default value; add it to the action's inputs with a 'var' or 'value'.");
            }
        }

        public List<WorkflowAction> ExpandActions(IReadOnlyList<WorkflowAction> actions)
        {
            var result = new List<WorkflowAction>(actions.Count);
            foreach (var a in actions)
            {
                var id = NewId(includeId, macro.Id, a.Id ?? expansion.Generated("action"));
                var dependsOn = a.DependsOn.Select(d => NewId(includeId, macro.Id, d)).ToList();
                result.Add(a switch
                {
                    ExecuteAction e => e with
                    {
                        Id = id, DependsOn = dependsOn,
                        Inputs = e.Inputs.Select(MapInput).ToList(),
                        Parameters = e.Parameters.Select(MapInput).ToList(),
                        Outputs = e.Outputs.Select(o => o with { Var = MapOutput(o.Var) }).ToList(),
                    },
                    ForEachAction f => f with
                    {
                        Id = id, DependsOn = dependsOn,
                        Input = MapInputVar(f.Input),
                        Enumerator = Rename(f.Enumerator),
                        Output = f.Output is null ? null : MapOutput(f.Output),
                        YieldToInput = f.YieldToInput is null ? null : MapOutput(f.YieldToInput),
                        YieldToOutput = f.YieldToOutput is null ? null : MapOutput(f.YieldToOutput),
                        Actions = ExpandActions(f.Actions),
                    },
                    IncludeAction i => i with
                    {
                        Id = id, DependsOn = dependsOn,
                        Inputs = i.Inputs.Select(MapInput).ToList(),
                        Outputs = i.Outputs.Select(o => o with { Var = MapOutput(o.Var) }).ToList(),
                    },
                    _ => throw new MacroException($"Macro '{macro.Id}': unknown action type '{a.Type}'"),
                });
            }
            return result;
        }

        /// <summary>An input of a macro-internal action: a macro input becomes what the include gives, keeping the action's parameter id.</summary>
        private InputParameter MapInput(InputParameter p)
        {
            if (p.Var is null) return p; // a literal value stays as it is
            if (_inputs.TryGetValue(p.Var, out var given)) return given with { Id = p.Id };
            return p with { Var = Rename(p.Var) };
        }

        /// <summary>A variable read by a for-each: a macro input given as a literal value gets a variable of its own.</summary>
        private string MapInputVar(string var)
        {
            if (!_inputs.TryGetValue(var, out var given)) return Rename(var);
            if (given.Var is not null) return given.Var;
            var id = NewId(includeId, macro.Id, var) + "$value";
            expansion.Declare(id, given.Value);
            return id;
        }

        private string MapOutput(string var) => _outputs.TryGetValue(var, out var target) ? target : Rename(var);
    }
}
