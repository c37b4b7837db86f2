using System.Globalization;
using System.Text.Json.Nodes;

namespace Steep.Core.Serialization;

/// <summary>
/// The structural check of a workflow's JSON tree, before it is bound to the models: every field null, empty, of the
/// wrong type, out of range or missing where it is required, all at once, each with its path
/// (<c>actions[2].inputs[0].var</c>) and what to do. The rules a tree that has the right shape must follow (declared
/// variables, known services, cardinalities) are the validator's.
/// </summary>
/// <remarks>
/// Steep 6 shapes are accepted: actions of type <c>include</c> (macros), <c>dependsOn</c> as one id or a list,
/// <c>priority</c> on the workflow and on actions, and every variable reference (<c>var</c>, <c>input</c>,
/// <c>enumerator</c>, ...) as an id or as an inline variable <c>{id: ..., value: ...}</c>, as Steep's model has them.
/// Unknown fields are left alone, as Steep does.
/// </remarks>
public static class WorkflowShapeCheck
{
    private const string ActionExample = "{type: execute, service: my-service}";
    private const string VarHint = "name a variable declared in 'vars'";

    /// <summary>Every shape problem of <paramref name="root"/> (a parsed workflow), as "path: problem; fix".</summary>
    public static IReadOnlyList<string> Check(JsonNode? root)
    {
        var c = new ShapeCheck();
        var wf = c.Object(root, "workflow", "{api: 4.0.0, vars: [...], actions: [...]}");
        if (wf is null) return c.Problems;
        c.StringOrNumber(wf, "", "api", "write the workflow API version, e.g. 4.0.0");
        c.String(wf, "", "name", required: false, "write a name for the workflow", allowEmpty: true);
        c.Integer(wf, "", "priority", "give a whole number (higher runs first)");
        if (c.List(wf, "", "vars", required: false, "[{id: input_file, value: in.txt}, {id: output_file}]") is { } vars)
        {
            for (int i = 0; i < vars.Count; i++)
            {
                var p = $"vars[{I(i)}]";
                if (c.Object(vars[i], p, "{id: input_file, value: in.txt}") is { } v)
                    c.String(v, p, "id", required: true, "give the variable a unique id");
            }
        }
        if (c.List(wf, "", "actions", required: false, $"[{ActionExample}]") is { } actions) Actions(c, actions, "actions");
        return c.Problems;
    }

    private static void Actions(ShapeCheck c, JsonArray actions, string path)
    {
        for (int i = 0; i < actions.Count; i++) Action(c, actions[i], $"{path}[{I(i)}]");
    }

    private static void Action(ShapeCheck c, JsonNode? node, string path)
    {
        var a = c.Object(node, path, ActionExample);
        if (a is null) return;
        var type = c.String(a, path, "type", required: true, "write execute, for or include");
        c.String(a, path, "id", required: false, "give the action a unique id");
        c.Integer(a, path, "priority", "give a whole number (higher runs first)");
        DependsOn(c, a, path);
        switch (type)
        {
            case null:
                return; // reported; which fields belong to it is unknown
            case "execute":
                c.String(a, path, "service", required: true, "name the id of the service to run");
                Inputs(c, a, path, "inputs");
                Inputs(c, a, path, "parameters");
                Outputs(c, a, path, includeAction: false);
                c.Retries(a, path);
                return;
            case "for":
                VarRef(c, a, path, "input", required: true, $"{VarHint} that holds the items");
                VarRef(c, a, path, "enumerator", required: true, $"{VarHint} that holds the current item");
                VarRef(c, a, path, "output", required: false, $"{VarHint} that collects the yielded outputs");
                VarRef(c, a, path, "yieldToOutput", required: false, "name an output variable of a sub-action");
                VarRef(c, a, path, "yieldToInput", required: false, "name an output variable of a sub-action");
                if (c.List(a, path, "actions", required: false, $"[{ActionExample}]") is { } sub)
                    Actions(c, sub, ShapeCheck.Join(path, "actions"));
                return;
            case "include":
                c.String(a, path, "macro", required: true, "name the id of the macro to include");
                Inputs(c, a, path, "inputs");
                Outputs(c, a, path, includeAction: true);
                return;
            default:
                c.Add(ShapeCheck.Join(path, "type"), $"'{ShapeCheck.Short(type)}' is not an action type; write execute, for or include");
                return;
        }
    }

    private static void DependsOn(ShapeCheck c, JsonObject a, string path)
    {
        const string hint = "name the id of an action that must run first";
        if (!a.TryGetPropertyValue("dependsOn", out var d)) return;
        var p = ShapeCheck.Join(path, "dependsOn");
        switch (d)
        {
            case null:
                c.Add(p, $"is empty (null); {hint}, or remove 'dependsOn'");
                break;
            case JsonArray list:
                c.StringItems(list, p, hint);
                break;
            case JsonValue:
                c.String(a, path, "dependsOn", required: false, hint);
                break;
            default:
                c.Add(p, $"is {ShapeCheck.Kind(d)}, but it must be an action id or a list of them; {hint}");
                break;
        }
    }

    private static void Inputs(ShapeCheck c, JsonObject a, string path, string key)
    {
        const string example = "{id: input_file, var: my_file}";
        if (c.List(a, path, key, required: false, $"[{example}]") is not { } list) return;
        for (int i = 0; i < list.Count; i++)
        {
            var p = $"{ShapeCheck.Join(path, key)}[{I(i)}]";
            if (c.Object(list[i], p, example) is not { } input) continue;
            c.String(input, p, "id", required: true, "name a parameter of the service");
            VarRef(c, input, p, "var", required: false, $"{VarHint}, or give a 'value' instead");
            // 'value' may be anything a variable may hold
        }
    }

    private static void Outputs(ShapeCheck c, JsonObject a, string path, bool includeAction)
    {
        const string example = "{id: output_file, var: my_result}";
        if (c.List(a, path, "outputs", required: false, $"[{example}]") is not { } list) return;
        for (int i = 0; i < list.Count; i++)
        {
            var p = $"{ShapeCheck.Join(path, "outputs")}[{I(i)}]";
            if (c.Object(list[i], p, example) is not { } output) continue;
            c.String(output, p, "id", required: true, includeAction ? "name an output of the macro" : "name an output parameter of the service");
            VarRef(c, output, p, "var", required: true, $"{VarHint} to receive the output");
            if (includeAction) continue;
            c.String(output, p, "prefix", required: false, "write a path prefix such as 'results/'", allowEmpty: true);
            c.Boolean(output, p, "store", "write true to keep the file below the output path");
        }
    }

    /// <summary>A variable reference: its id, or an inline variable (an object with an id and maybe a value).</summary>
    private static void VarRef(ShapeCheck c, JsonObject obj, string path, string key, bool required, string hint)
    {
        if (obj[key] is JsonObject inline)
        {
            c.String(inline, ShapeCheck.Join(path, key), "id", required: true, "give the variable an id");
            return;
        }
        c.String(obj, path, key, required, hint);
    }

    private static string I(int i) => i.ToString(CultureInfo.InvariantCulture);
}
