using System.Text.Json.Nodes;

namespace Steep.Core.Serialization;

/// <summary>
/// Steep lets an action define a variable where it uses it (<c>var: {id: i, value: 5}</c>, <c>input: {id: j}</c>)
/// instead of in <c>vars</c>. The models hold variable ids only, so such definitions are moved into the document's
/// <c>vars</c> (unless a variable with that id is declared there already) and replaced by their id.
/// </summary>
internal static class InlineVariables
{
    private static readonly string[] ActionFields = ["input", "output", "enumerator", "yieldToInput", "yieldToOutput"];
    private static readonly string[] ParameterLists = ["inputs", "outputs", "parameters"];

    /// <summary>Rewrites <paramref name="document"/> (a workflow or macro object) in place.</summary>
    public static void Hoist(JsonObject document)
    {
        if (document["actions"] is not JsonArray actions) return;
        var found = new List<JsonObject>();
        Visit(actions, found);
        if (found.Count == 0) return;
        if (document["vars"] is not JsonArray vars)
        {
            vars = [];
            document["vars"] = vars;
        }
        var declared = new HashSet<string>();
        foreach (var v in vars) if (v is JsonObject o && o["id"] is JsonValue id) declared.Add(id.ToString());
        foreach (var v in found)
        {
            if (declared.Add(v["id"]!.ToString())) vars.Add(v.DeepClone());
        }
    }

    private static void Visit(JsonArray actions, List<JsonObject> found)
    {
        foreach (var a in actions)
        {
            if (a is not JsonObject action) continue;
            foreach (var field in ActionFields) Replace(action, field, found);
            foreach (var list in ParameterLists)
            {
                if (action[list] is not JsonArray parameters) continue;
                foreach (var p in parameters) if (p is JsonObject po) Replace(po, "var", found);
            }
            if (action["actions"] is JsonArray sub) Visit(sub, found);
        }
    }

    private static void Replace(JsonObject owner, string field, List<JsonObject> found)
    {
        // only a definition with a string id is taken; anything else is left for binding to report with its path
        if (owner[field] is not JsonObject definition || definition["id"] is not JsonValue id || id.GetValueKind() != System.Text.Json.JsonValueKind.String)
            return;
        found.Add(definition);
        owner[field] = id.ToString();
    }
}
