using Steep.Core.Models;

namespace Steep.Core.Validation;

public static partial class WorkflowValidator
{
    /// <summary>Steep 6.9's rules about variables: each reports every offending place in one line.</summary>
    private sealed partial class Context
    {
        /// <summary>Visits every action with its description, for-each sub-actions included.</summary>
        private void Visit(Action<WorkflowAction, string> visit) => ForEachAction(actions, "actions", visit);

        private bool HasValue(string id) => _vars.TryGetValue(id, out var v) && v.Value is not null;

        /// <summary>Ids starting with '$' are reserved: the macro expansion and the generator create such names.</summary>
        private void ReservedIds()
        {
            if (mode == Mode.ServicesOnly) return;
            void Check(string? id, string where)
            {
                if (id is { Length: > 0 } && id[0] == '$')
                    problems.Add($"{where}: illegal variable id '{id}': ids starting with '$' are reserved for names Steep generates; rename the variable.");
            }
            foreach (var v in vars) Check(v.Id, $"Variable '{v.Id}' of {Root}");
            Visit((a, where) =>
            {
                foreach (var o in OutputsOf(a)) Check(o, where);
                if (a is ForEachAction f) Check(f.Enumerator, where);
            });
        }

        /// <summary>An output variable must not have a value: outputs are generated. Reported once per variable.</summary>
        private void OutputsWithValues()
        {
            var reported = new HashSet<string>();
            Visit((a, where) =>
            {
                foreach (var o in OutputsOf(a))
                {
                    if (HasValue(o) && reported.Add(o))
                        problems.Add($"Output variable '{o}' of {Lower(where)} has a value; remove the value, outputs are generated (use an output's 'prefix' to choose a directory).");
                }
            });
        }

        /// <summary>Every variable that is not an output or enumerator anywhere, nor a macro input: what gets a value at run time.</summary>
        private HashSet<string> Produced()
        {
            var produced = new HashSet<string>();
            Visit((a, _) =>
            {
                foreach (var o in OutputsOf(a)) produced.Add(o);
                if (a is ForEachAction f) produced.Add(f.Enumerator);
            });
            return produced;
        }

        /// <summary>An input must have a value or be written by some action (or be a macro input parameter).</summary>
        private void MissingInputValues()
        {
            var produced = Produced();
            Visit((a, where) =>
            {
                foreach (var v in InputsOf(a).Distinct())
                {
                    if (v.Length == 0 || HasValue(v) || produced.Contains(v) || _macroInputs.Contains(v)) continue;
                    problems.Add($"{where}: input variable '{v}' has no value and no action produces it; give it a 'value' in 'vars' or make it the output of an action.");
                }
            });
        }

        /// <summary>A variable may be the output of one action only (each output is a new file).</summary>
        private void ReuseOutputs()
        {
            var writers = new Dictionary<string, string>();
            Visit((a, where) =>
            {
                foreach (var o in OutputsOf(a))
                {
                    if (o.Length == 0) continue;
                    if (writers.TryGetValue(o, out var first))
                        problems.Add($"{where}: output variable '{o}' is used more than once (also by {Lower(first)}); introduce a new variable for each output.");
                    else writers[o] = where;
                }
            });
        }

        /// <summary>A variable may be the enumerator of one for-each action only.</summary>
        private void ReuseEnumerators()
        {
            var owners = new Dictionary<string, string>();
            Visit((a, where) =>
            {
                if (a is not ForEachAction { Enumerator: { Length: > 0 } en }) return;
                if (owners.TryGetValue(en, out var first))
                    problems.Add($"{where}: enumerator '{en}' is used more than once (also by {Lower(first)}); give each for-each action an enumerator of its own.");
                else owners[en] = where;
            });
        }

        /// <summary>
        /// The outputs of actions inside a for-each (and its enumerator) are only visible inside it; outside, the for-each's
        /// own output carries the yielded values. Variables with a value are visible everywhere.
        /// </summary>
        private void Scoping()
        {
            var produced = Produced();
            var stack = new List<HashSet<string>> { vars.Where(v => v.Value is not null).Select(v => v.Id).ToHashSet() };
            bool Visible(string id) => stack.Any(frame => frame.Contains(id));
            void Check(string v, string where)
            {
                if (v.Length > 0 && !HasValue(v) && produced.Contains(v) && !Visible(v))
                    problems.Add($"{where}: variable '{v}' is not visible here: it is written inside a for-each action (as an output or its enumerator) and only accessible inside it; use the for-each's output with yieldToOutput to pass values out.");
            }
            void Level(IReadOnlyList<WorkflowAction> list, string path)
            {
                var frame = new HashSet<string>();
                foreach (var a in list) foreach (var o in OutputsOf(a)) frame.Add(o);
                stack.Add(frame);
                for (int i = 0; i < list.Count; i++)
                {
                    var a = list[i];
                    var where = Describe(a, $"{path}[{i}]");
                    foreach (var v in InputsOf(a).Distinct()) Check(v, where);
                    if (a is ForEachAction f)
                    {
                        stack.Add([f.Enumerator]);
                        Level(f.Actions, $"{path}[{i}].actions");
                        stack.RemoveAt(stack.Count - 1);
                    }
                }
                stack.RemoveAt(stack.Count - 1);
            }
            Level(actions, "actions");
        }

        /// <summary>An include action names a known macro and gives each of its parameters exactly once.</summary>
        private void CheckInclude(IncludeAction inc, string where)
        {
            if (string.IsNullOrWhiteSpace(inc.Macro))
            {
                problems.Add($"{where}: 'macro' is missing; name the id of the macro to include.");
                return;
            }
            var given = new HashSet<string>();
            foreach (var id in inc.Inputs.Select(p => p.Id).Concat(inc.Outputs.Select(p => p.Id)))
            {
                if (!given.Add(id))
                    problems.Add($"{where}: macro parameter '{id}' is specified more than once; give each parameter once.");
            }
            foreach (var p in inc.Inputs)
            {
                if (p.Var is null && p.Value is null) problems.Add($"{where}: input '{p.Id}' has neither 'var' nor 'value'.");
            }
            foreach (var o in inc.Outputs) CheckVar(o.Var, where, $"output '{o.Id}'");
            if (!macros.TryGetValue(inc.Macro, out var m))
            {
                var known = macros.Count == 0 ? "no macros are known" : $"known macros: {string.Join(", ", macros.Keys.Order(StringComparer.Ordinal))}";
                problems.Add($"{where}: macro '{inc.Macro}' not found; pass the file defining it with --macros or put it in conf/macros ({known}).");
                return;
            }
            foreach (var p in m.Parameters)
            {
                bool output = p.Type == ArgumentTypes.Output;
                if (output ? inc.Outputs.Any(o => o.Id == p.Id) : inc.Inputs.Any(i => i.Id == p.Id)) continue;
                if (output)
                    problems.Add($"{where}: missing output parameter '{p.Id}' of macro '{m.Id}': it is required and not given; add it to the action's outputs with the variable that receives it.");
                else if (p.Default is null)
                    problems.Add($"{where}: missing input parameter '{p.Id}' of macro '{m.Id}': it is required, not given and has no default value; add it to the action's inputs.");
            }
            foreach (var p in inc.Inputs)
            {
                if (!m.Parameters.Any(x => x.Id == p.Id && x.Type != ArgumentTypes.Output))
                    problems.Add($"{where}: unknown input parameter '{p.Id}': macro '{m.Id}' has no such input (it does not exist in the macro definition); its inputs: {Names(m, input: true)}.");
            }
            foreach (var p in inc.Outputs)
            {
                if (!m.Parameters.Any(x => x.Id == p.Id && x.Type == ArgumentTypes.Output))
                    problems.Add($"{where}: unknown output parameter '{p.Id}': macro '{m.Id}' has no such output (it does not exist in the macro definition); its outputs: {Names(m, input: false)}.");
            }
        }

        private static string Names(Macro m, bool input)
        {
            var names = m.Parameters.Where(p => (p.Type != ArgumentTypes.Output) == input).Select(p => p.Id).ToList();
            return names.Count == 0 ? "none" : string.Join(", ", names);
        }
    }
}
