using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Steep.Core.Macros;
using Steep.Core.Models;

namespace Steep.Core.Validation;

/// <summary>
/// Finds every problem of a workflow (or macro) that is visible before running it, each with what to do about it: the
/// rules of Steep 6.9's validator (reserved ids, duplicate ids, outputs with values, inputs without values, reuse of
/// outputs and enumerators, scoping, include actions, dependsOn targets and cycles) plus the service checks.
/// </summary>
public static partial class WorkflowValidator
{
    /// <summary>
    /// Validates <paramref name="workflow"/>; service checks run only when <paramref name="services"/> is given; include
    /// actions are checked against <paramref name="macros"/> (none known when null). A workflow that
    /// <see cref="MacroPreprocessor.Expand"/> produced was validated before it was expanded: only its services are checked.
    /// </summary>
    public static IReadOnlyList<string> Validate(Workflow workflow, IReadOnlyCollection<Service>? services = null,
        IReadOnlyDictionary<string, Macro>? macros = null)
    {
        var problems = new List<string>();
        macros ??= new Dictionary<string, Macro>();
        if (workflow.MacrosExpanded)
        {
            new Context(workflow.Vars, workflow.Actions, services, problems, macros, Mode.ServicesOnly).Run();
            return problems;
        }
        if (workflow.Api is { } api && !SupportedApi().IsMatch(api.Trim()))
            problems.Add($"Unsupported workflow API version '{api}': use 4.0.0 (or any 3.x/4.x version up to {Workflow.LatestApiVersion}).");
        bool includes = MacroPreprocessor.HasIncludes(workflow.Actions);
        // with includes, services are checked on the expanded workflow, where the macros' actions are
        new Context(workflow.Vars, workflow.Actions, includes ? null : services, problems, macros, Mode.Workflow).Run();
        if (includes && problems.Count == 0)
        {
            try
            {
                var expanded = MacroPreprocessor.Expand(workflow, macros);
                if (services is not null)
                    new Context(expanded.Vars, expanded.Actions, services, problems, macros, Mode.ServicesOnly).Run();
            }
            catch (MacroException e)
            {
                problems.Add(e.Message);
            }
        }
        return problems;
    }

    /// <summary>
    /// Validates a macro definition as Steep does: its parameters and how its actions use them, the workflow rules for
    /// its variables and actions, and include cycles among <paramref name="macros"/> (which may hold the macro itself).
    /// </summary>
    public static IReadOnlyList<string> ValidateMacro(Macro macro, IReadOnlyDictionary<string, Macro> macros)
    {
        var problems = new List<string>();
        var all = new Dictionary<string, Macro>(macros);
        if (macro.Id.Length > 0) all[macro.Id] = macro;
        if (string.IsNullOrWhiteSpace(macro.Id)) problems.Add("The macro has no 'id': include actions refer to macros by id; give it one.");
        new MacroRules(macro, problems).Run();
        new Context(macro.Vars, macro.Actions, null, problems, all, Mode.Macro, macro).Run();
        foreach (var cycle in IncludeCycles.Find(all, all.Keys)) problems.Add(cycle);
        return problems;
    }

    [GeneratedRegex(@"^[34](\.\d+){0,2}$")]
    private static partial Regex SupportedApi();

    private enum Mode { Workflow, Macro, ServicesOnly }

    private sealed partial class Context(IReadOnlyList<Variable> vars, IReadOnlyList<WorkflowAction> actions,
        IReadOnlyCollection<Service>? services, List<string> problems, IReadOnlyDictionary<string, Macro> macros, Mode mode,
        Macro? macro = null)
    {
        private readonly Dictionary<string, Variable> _vars = new();
        private readonly HashSet<string> _actionIds = new();
        private readonly Dictionary<string, Service>? _services = services?.GroupBy(s => s.Id).ToDictionary(g => g.Key, g => g.First());
        private readonly HashSet<string> _macroInputs = macro is null ? [] :
            macro.Parameters.Where(p => p.Type != ArgumentTypes.Output).Select(p => p.Id).ToHashSet();

        /// <summary>"the workflow" or "macro 'id'", for messages about the document as a whole.</summary>
        private string Root => macro is null ? "the workflow" : $"macro '{macro.Id}'";

        public void Run()
        {
            foreach (var v in vars) if (!string.IsNullOrWhiteSpace(v.Id)) _vars.TryAdd(v.Id, v);
            if (mode == Mode.ServicesOnly)
            {
                CheckServices(actions, "actions", []);
                return;
            }

            var seen = new Dictionary<string, string>();
            var reported = new HashSet<string>();
            void Identifier(string id, string what)
            {
                if (seen.TryGetValue(id, out var first))
                {
                    if (reported.Add(id))
                        problems.Add($"Duplicate identifier '{id}': it is used by {first} and by {what}. Variables and actions share one namespace; give each a unique id.");
                }
                else seen[id] = what;
            }

            for (int i = 0; i < vars.Count; i++)
            {
                var variable = vars[i];
                if (string.IsNullOrWhiteSpace(variable.Id))
                {
                    problems.Add($"Variable #{i + 1} has no 'id': every variable needs a unique id.");
                    continue;
                }
                Identifier(variable.Id, $"variable '{variable.Id}'");
            }
            ForEachAction(actions, "actions", (a, where) =>
            {
                if (a.Id is { } id)
                {
                    if (string.IsNullOrWhiteSpace(id)) problems.Add($"{where} has an empty 'id': remove it or give a unique id.");
                    else { Identifier(id, $"action '{id}'"); _actionIds.Add(id); }
                }
            });

            ReservedIds();
            OutputsWithValues();
            var outputsByVar = new Dictionary<string, string>();
            ForEachAction(actions, "actions", (a, where) =>
            {
                foreach (var o in OutputsOf(a)) if (o.Length > 0) outputsByVar.TryAdd(o, where);
            });
            CheckActions(actions, "actions", outputsByVar, enclosingEnumerators: []);
            MissingInputValues();
            ReuseOutputs();
            ReuseEnumerators();
            Scoping();
            DependsOnCycles();
            if (mode == Mode.Workflow)
            {
                var included = new List<string>();
                ForEachAction(actions, "actions", (a, _) => { if (a is IncludeAction inc) included.Add(inc.Macro); });
                foreach (var cycle in IncludeCycles.Find(macros, included)) problems.Add(cycle);
            }
        }

        private static void ForEachAction(IReadOnlyList<WorkflowAction> actions, string path, Action<WorkflowAction, string> visit)
        {
            for (int i = 0; i < actions.Count; i++)
            {
                var a = actions[i];
                visit(a, Describe(a, $"{path}[{i}]"));
                if (a is ForEachAction f) ForEachAction(f.Actions, $"{path}[{i}].actions", visit);
            }
        }

        /// <summary>The variables an action writes (execute and include outputs, a for-each's output; not enumerators).</summary>
        private static IEnumerable<string> OutputsOf(WorkflowAction a) => a switch
        {
            ExecuteAction e => e.Outputs.Select(o => o.Var),
            IncludeAction i => i.Outputs.Select(o => o.Var),
            ForEachAction { Output: { } o } => [o],
            _ => [],
        };

        /// <summary>The variables an action reads (execute, generic and include inputs; a for-each's input).</summary>
        private static IEnumerable<string> InputsOf(WorkflowAction a) => a switch
        {
            ExecuteAction e => e.Inputs.Concat(e.Parameters).Where(p => p.Var is not null).Select(p => p.Var!),
            IncludeAction i => i.Inputs.Where(p => p.Var is not null).Select(p => p.Var!),
            ForEachAction f => [f.Input],
            _ => [],
        };

        private static string Lower(string s) => s.Length == 0 ? s : char.ToLowerInvariant(s[0]) + s[1..];

        private static string Describe(WorkflowAction a, string path) =>
            a.Id is { Length: > 0 } id ? $"Action '{id}'" : a switch
            {
                ExecuteAction e when e.Service.Length > 0 => $"Action {path} (service '{e.Service}')",
                IncludeAction i when i.Macro.Length > 0 => $"Action {path} (include of macro '{i.Macro}')",
                Models.ForEachAction => $"Action {path} (for-each)",
                _ => $"Action {path}",
            };

        private void CheckVar(string? id, string where, string field, bool required = true)
        {
            // Steep 6 declares variables implicitly: only a missing reference is a problem here
            if (required && string.IsNullOrWhiteSpace(id))
                problems.Add($"{where}: '{field}' is missing; name a variable.");
        }

        private void CheckActions(IReadOnlyList<WorkflowAction> actions, string path, Dictionary<string, string> outputsByVar,
            HashSet<string> enclosingEnumerators)
        {
            for (int i = 0; i < actions.Count; i++)
            {
                var a = actions[i];
                var where = Describe(a, $"{path}[{i}]");
                foreach (var d in a.DependsOn)
                {
                    if (!_actionIds.Contains(d))
                        problems.Add($"{where}: dependsOn refers to unknown action '{d}': no action with this id exists; use the id of an existing action.");
                }
                switch (a)
                {
                    case ExecuteAction e:
                        CheckExecute(e, where, enclosingEnumerators);
                        CheckService(e, where, enclosingEnumerators);
                        break;
                    case IncludeAction inc:
                        CheckInclude(inc, where);
                        break;
                    case ForEachAction f:
                        CheckVar(f.Input, where, "input");
                        CheckVar(f.Enumerator, where, "enumerator");
                        if (f.Enumerator is { Length: > 0 } en)
                        {
                            if (outputsByVar.TryGetValue(en, out var producer))
                                problems.Add($"{where}: its enumerator '{en}' is also used as an output by {producer}; the enumerator holds the current item, use another variable for the output.");
                            if (_vars.TryGetValue(en, out var ev) && ev.Value is not null)
                                problems.Add($"{where}: its enumerator '{en}' has a value; remove the value, it is set in each iteration.");
                        }
                        var produced = new HashSet<string>();
                        CollectProduced(f.Actions, produced);
                        if (f.YieldToOutput is { Length: > 0 } yo && !produced.Contains(yo))
                            problems.Add($"{where}: yieldToOutput '{yo}' is not an output of any of its sub-actions; name an output variable of a sub-action.");
                        if (f.YieldToInput is { Length: > 0 } yi && !produced.Contains(yi))
                            problems.Add($"{where}: yieldToInput '{yi}' is not an output of any of its sub-actions; name an output variable of a sub-action.");
                        var inner = new HashSet<string>(enclosingEnumerators);
                        if (f.Enumerator is { Length: > 0 }) inner.Add(f.Enumerator);
                        CheckActions(f.Actions, $"{path}[{i}].actions", outputsByVar, inner);
                        break;
                }
            }
        }

        /// <summary>Service checks only (for an expanded workflow, whose other rules were checked before expansion).</summary>
        private void CheckServices(IReadOnlyList<WorkflowAction> actions, string path, HashSet<string> enclosingEnumerators)
        {
            for (int i = 0; i < actions.Count; i++)
            {
                var a = actions[i];
                if (a is ExecuteAction e) CheckService(e, Describe(a, $"{path}[{i}]"), enclosingEnumerators);
                if (a is ForEachAction f)
                {
                    var inner = new HashSet<string>(enclosingEnumerators);
                    if (f.Enumerator is { Length: > 0 }) inner.Add(f.Enumerator);
                    CheckServices(f.Actions, $"{path}[{i}].actions", inner);
                }
            }
        }

        /// <summary>The number of values a declared list gives: nested lists are flattened, nulls dropped.</summary>
        private static int Items(JsonNode? node) => node switch
        {
            JsonArray arr => arr.Sum(Items),
            null => 0,
            _ => 1,
        };

        private static void CollectProduced(IReadOnlyList<WorkflowAction> actions, HashSet<string> produced)
        {
            foreach (var a in actions)
            {
                if (a.Id is { } id) produced.Add(id);
                foreach (var o in OutputsOf(a)) produced.Add(o);
                if (a is ForEachAction f)
                {
                    produced.Add(f.Enumerator);
                    CollectProduced(f.Actions, produced);
                }
            }
        }

        private void CheckExecute(ExecuteAction e, string where, HashSet<string> enumerators)
        {
            if (string.IsNullOrWhiteSpace(e.Service))
                problems.Add($"{where}: 'service' is missing; name the id of the service to run.");
            var inputs = e.Inputs.Concat(e.Parameters).ToList();
            foreach (var p in inputs)
            {
                if (string.IsNullOrWhiteSpace(p.Id)) problems.Add($"{where}: an input has no 'id'; use a parameter id of the service.");
                if (p.Var is null && p.Value is null) problems.Add($"{where}: input '{p.Id}' has neither 'var' nor 'value'.");
            }
            foreach (var o in e.Outputs)
            {
                if (string.IsNullOrWhiteSpace(o.Id)) problems.Add($"{where}: an output has no 'id'; use a parameter id of the service.");
                CheckVar(o.Var, where, $"output '{o.Id}'");
                if (enumerators.Contains(o.Var))
                    problems.Add($"{where}: output '{o.Id}' writes to the enumerator '{o.Var}' of an enclosing for-each action; use another variable.");
            }
        }

        /// <summary>The service checks of one execute action (only when services were given).</summary>
        private void CheckService(ExecuteAction e, string where, HashSet<string> enumerators)
        {
            var inputs = e.Inputs.Concat(e.Parameters).ToList();
            if (_services is null || string.IsNullOrWhiteSpace(e.Service)) return;
            if (!_services.TryGetValue(e.Service, out var service))
            {
                problems.Add($"{where}: unknown service '{e.Service}'; add its metadata to the services or use one of: {string.Join(", ", _services.Keys.Order())}.");
                return;
            }
            foreach (var p in inputs)
            {
                var sp = service.Parameters.FirstOrDefault(x => x.Id == p.Id);
                if (sp is null)
                    problems.Add($"{where}: service '{service.Id}' has no parameter '{p.Id}'; known parameters: {string.Join(", ", service.Parameters.Select(x => x.Id))}.");
                else if (sp.Type == ArgumentTypes.Output)
                    problems.Add($"{where}: '{p.Id}' is an output parameter of service '{service.Id}'; list it under 'outputs'.");
            }
            foreach (var o in e.Outputs)
            {
                var sp = service.Parameters.FirstOrDefault(x => x.Id == o.Id);
                if (sp is null)
                    problems.Add($"{where}: service '{service.Id}' has no parameter '{o.Id}'; known parameters: {string.Join(", ", service.Parameters.Select(x => x.Id))}.");
                else if (sp.Type != ArgumentTypes.Output)
                    problems.Add($"{where}: '{o.Id}' is an {sp.Type} parameter of service '{service.Id}'; list it under 'inputs'.");
            }
            foreach (var sp in service.Parameters)
            {
                var given = sp.Type == ArgumentTypes.Output ? e.Outputs.Count(o => o.Id == sp.Id) : inputs.Count(p => p.Id == sp.Id);
                if (given == 0 && sp.Cardinality.Min > 0)
                {
                    // the generator fills in a default only where the parameter must appear exactly once
                    if (sp.Default is null || sp.Type == ArgumentTypes.Output)
                        problems.Add($"{where}: mandatory parameter '{sp.Id}' of service '{service.Id}' is missing and has no default (cardinality {sp.Cardinality}); add it to the action's {(sp.Type == ArgumentTypes.Output ? "outputs" : "inputs")}.");
                    else if (sp.Cardinality != new Cardinality(1, 1))
                        problems.Add($"{where}: mandatory parameter '{sp.Id}' of service '{service.Id}' is missing; its default only applies to cardinality 1..1, not {sp.Cardinality}; add it to the action's inputs.");
                    continue;
                }
                // values known now, counted as the generator passes them: declared scalars once, declared lists once
                // per item of the flattened list (also for directories: only result files are merged to a directory)
                if (sp.Type == ArgumentTypes.Output)
                {
                    if (given > sp.Cardinality.Max)
                        problems.Add($"{where}: output '{sp.Id}' appears {given} times but the cardinality of this parameter of service '{service.Id}' is {sp.Cardinality}.");
                    continue;
                }
                int known = 0;
                bool allKnown = true;
                foreach (var p in inputs.Where(p => p.Id == sp.Id))
                {
                    var value = p.Value ?? (p.Var is not null && _vars.TryGetValue(p.Var, out var v) ? v.Value : null);
                    if (value is null || (p.Var is not null && enumerators.Contains(p.Var))) { allKnown = false; known++; continue; }
                    known += value is JsonArray arr ? Items(arr) : 1;
                }
                if (known > sp.Cardinality.Max)
                    problems.Add($"{where}: input '{sp.Id}' gets {known} values but the cardinality of this parameter of service '{service.Id}' is {sp.Cardinality}; pass at most {sp.Cardinality.Max}.");
                else if (allKnown && known < sp.Cardinality.Min)
                    problems.Add($"{where}: input '{sp.Id}' gets {known} values but the cardinality of this parameter of service '{service.Id}' is {sp.Cardinality}; pass at least {sp.Cardinality.Min}.");
            }
        }
    }
}
