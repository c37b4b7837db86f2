using System.Globalization;
using System.Text.Json.Nodes;

namespace Steep.Tests.Shared;

/// <summary>What kind of value a field of a workflow or of service metadata holds; decides the hostile values tried.</summary>
public enum FieldKind
{
    /// <summary>A string that must be there and not be empty.</summary>
    RequiredString,
    /// <summary>A string that may be left out but must not be empty when given.</summary>
    OptionalString,
    /// <summary>Free text that may be empty.</summary>
    Text,
    /// <summary>The workflow API version: a string or a number.</summary>
    Api,
    /// <summary>A whole number.</summary>
    Integer,
    /// <summary>true or false.</summary>
    Boolean,
    /// <summary>Milliseconds or "10s".</summary>
    Duration,
    /// <summary>A list ([] is fine).</summary>
    List,
    /// <summary>An object with required fields (an entry of a list).</summary>
    Object,
    /// <summary>An object whose fields are all optional.</summary>
    OptionalObject,
    /// <summary>One id or a list of them.</summary>
    StringOrList,
    /// <summary>An entry of a list of strings.</summary>
    StringItem,
}

/// <summary>
/// One hostile document: <paramref name="Document"/> is the valid base with <paramref name="Field"/> changed as
/// <paramref name="Mutation"/> says. When <paramref name="MustName"/> is set, the document must be rejected with a
/// message containing it; otherwise it only must not crash anything (it may be valid, or invalid for other reasons).
/// </summary>
public sealed record HostileCase(string Model, string Field, string Mutation, string Document, string? MustName)
{
    public override string ToString() => $"{Model} {Field} {Mutation}";
}

/// <summary>Generates the hostile documents from field lists: null, empty, wrong type, huge and missing, per field.</summary>
public static class HostileCases
{
    /// <summary>A valid workflow using every field (the services below make it valid against services too).</summary>
    public const string WorkflowBase = """
        {"api": "4.0.0", "name": "hostile", "priority": 1,
         "vars": [{"id": "in", "value": "a.txt"}, {"id": "out"}, {"id": "list", "value": ["x", "y"]}, {"id": "each"},
                  {"id": "copy"}, {"id": "all"}],
         "actions": [
           {"type": "execute", "id": "first", "service": "cp", "priority": 2,
            "inputs": [{"id": "input_file", "var": "in"}],
            "parameters": [{"id": "flag", "value": true}],
            "outputs": [{"id": "output_file", "var": "out", "prefix": "p/", "store": false}],
            "retries": {"maxAttempts": 2, "delay": "1s", "exponentialBackoff": 2, "maxDelay": "10s"}},
           {"type": "for", "id": "loop", "input": "list", "enumerator": "each", "output": "all", "yieldToOutput": "copy",
            "dependsOn": ["first"], "priority": 1,
            "actions": [{"type": "execute", "service": "cp", "inputs": [{"id": "input_file", "var": "each"}],
                         "outputs": [{"id": "output_file", "var": "copy"}]}]}
         ]}
        """;

    /// <summary>Valid service metadata using every field; <c>path: "true"</c> so that accepted workflows do no harm.</summary>
    public const string ServicesBase = """
        [{"id": "cp", "name": "Copy", "description": "Copies a file", "path": "true", "runtime": "other",
          "parameters": [
            {"id": "input_file", "name": "In", "description": "d", "type": "input", "cardinality": "1..1", "data_type": "file", "label": "-i", "file_suffix": ".txt"},
            {"id": "output_file", "name": "Out", "description": "d", "type": "output", "cardinality": "1..1", "data_type": "file", "file_suffix": ".txt"},
            {"id": "flag", "name": "Flag", "description": "d", "type": "argument", "cardinality": "0..1", "data_type": "boolean", "default": false, "label": "--flag"}],
          "runtime_args": [{"id": "ra", "name": "RA", "description": "d", "data_type": "string", "label": "-v", "value": "x"}],
          "required_capabilities": [],
          "retries": {"maxAttempts": 1, "delay": 0, "exponentialBackoff": 1, "maxDelay": "1s"}}]
        """;

    public static readonly (string Path, FieldKind Kind)[] WorkflowFields =
    [
        ("api", FieldKind.Api), ("name", FieldKind.Text), ("priority", FieldKind.Integer),
        ("vars", FieldKind.List), ("vars[0]", FieldKind.Object), ("vars[0].id", FieldKind.RequiredString),
        ("actions", FieldKind.List), ("actions[0]", FieldKind.Object),
        ("actions[0].type", FieldKind.RequiredString), ("actions[0].id", FieldKind.OptionalString),
        ("actions[0].priority", FieldKind.Integer), ("actions[0].service", FieldKind.RequiredString),
        ("actions[0].inputs", FieldKind.List), ("actions[0].inputs[0]", FieldKind.Object),
        ("actions[0].inputs[0].id", FieldKind.RequiredString), ("actions[0].inputs[0].var", FieldKind.OptionalString),
        ("actions[0].parameters", FieldKind.List), ("actions[0].parameters[0]", FieldKind.Object),
        ("actions[0].parameters[0].id", FieldKind.RequiredString),
        ("actions[0].outputs", FieldKind.List), ("actions[0].outputs[0]", FieldKind.Object),
        ("actions[0].outputs[0].id", FieldKind.RequiredString), ("actions[0].outputs[0].var", FieldKind.RequiredString),
        ("actions[0].outputs[0].prefix", FieldKind.Text), ("actions[0].outputs[0].store", FieldKind.Boolean),
        ("actions[0].retries", FieldKind.OptionalObject), ("actions[0].retries.maxAttempts", FieldKind.Integer),
        ("actions[0].retries.delay", FieldKind.Duration), ("actions[0].retries.exponentialBackoff", FieldKind.Integer),
        ("actions[0].retries.maxDelay", FieldKind.Duration),
        ("actions[1]", FieldKind.Object), ("actions[1].type", FieldKind.RequiredString), ("actions[1].id", FieldKind.OptionalString),
        ("actions[1].input", FieldKind.RequiredString), ("actions[1].enumerator", FieldKind.RequiredString),
        ("actions[1].output", FieldKind.OptionalString), ("actions[1].yieldToOutput", FieldKind.OptionalString),
        ("actions[1].dependsOn", FieldKind.StringOrList), ("actions[1].dependsOn[0]", FieldKind.StringItem),
        ("actions[1].priority", FieldKind.Integer),
        ("actions[1].actions", FieldKind.List), ("actions[1].actions[0]", FieldKind.Object),
        ("actions[1].actions[0].service", FieldKind.RequiredString), ("actions[1].actions[0].inputs", FieldKind.List),
        ("actions[1].actions[0].inputs[0]", FieldKind.Object), ("actions[1].actions[0].inputs[0].var", FieldKind.OptionalString),
        ("actions[1].actions[0].outputs[0].var", FieldKind.RequiredString),
    ];

    public static readonly (string Path, FieldKind Kind)[] ServiceFields =
    [
        ("[0]", FieldKind.Object), ("[0].id", FieldKind.RequiredString), ("[0].name", FieldKind.Text),
        ("[0].description", FieldKind.Text), ("[0].path", FieldKind.RequiredString), ("[0].runtime", FieldKind.OptionalString),
        ("[0].parameters", FieldKind.List), ("[0].parameters[0]", FieldKind.Object),
        ("[0].parameters[0].id", FieldKind.RequiredString), ("[0].parameters[0].name", FieldKind.Text),
        ("[0].parameters[0].description", FieldKind.Text), ("[0].parameters[0].type", FieldKind.OptionalString),
        ("[0].parameters[0].cardinality", FieldKind.OptionalString), ("[0].parameters[0].data_type", FieldKind.OptionalString),
        ("[0].parameters[0].file_suffix", FieldKind.Text), ("[0].parameters[0].label", FieldKind.Text),
        ("[0].runtime_args", FieldKind.List), ("[0].runtime_args[0]", FieldKind.Object),
        ("[0].runtime_args[0].id", FieldKind.RequiredString), ("[0].runtime_args[0].name", FieldKind.Text),
        ("[0].runtime_args[0].description", FieldKind.Text), ("[0].runtime_args[0].data_type", FieldKind.OptionalString),
        ("[0].runtime_args[0].label", FieldKind.Text), ("[0].runtime_args[0].value", FieldKind.Text),
        ("[0].required_capabilities", FieldKind.List), ("[0].retries", FieldKind.OptionalObject),
        ("[0].retries.maxAttempts", FieldKind.Integer), ("[0].retries.delay", FieldKind.Duration),
        ("[0].retries.exponentialBackoff", FieldKind.Integer), ("[0].retries.maxDelay", FieldKind.Duration),
    ];

    /// <summary>A string longer than any field allows (descriptions included).</summary>
    private static readonly string Huge = new('x', 70_000);

    public static IEnumerable<HostileCase> Workflows() => Generate("workflow", WorkflowBase, WorkflowFields);

    public static IEnumerable<HostileCase> Services() => Generate("services", ServicesBase, ServiceFields);

    private static IEnumerable<HostileCase> Generate(string model, string baseJson, (string Path, FieldKind Kind)[] fields)
    {
        foreach (var (path, kind) in fields)
        {
            // the services' paths carry the service's id after "[0]": the rest of the path is what must be named
            var named = path.StartsWith("[0].", StringComparison.Ordinal) && path != "[0].id" ? path[4..] : path;
            foreach (var (mutation, value, rejected) in Mutations(kind))
            {
                var doc = JsonNode.Parse(baseJson)!;
                if (mutation == "missing") Remove(doc, path);
                else Set(doc, path, value);
                yield return new HostileCase(model, path, mutation, doc.ToJsonString(), rejected ? named : null);
            }
        }
    }

    /// <summary>The values tried for a kind of field, and whether each must be rejected naming the field.</summary>
    private static IEnumerable<(string Name, JsonNode? Value, bool Rejected)> Mutations(FieldKind kind)
    {
        yield return ("null", null, true);
        switch (kind)
        {
            case FieldKind.RequiredString:
                yield return ("empty", "", true);
                yield return ("wrong type", 42, true);
                yield return ("huge", Huge, true);
                yield return ("missing", null, true);
                break;
            case FieldKind.OptionalString or FieldKind.StringItem:
                yield return ("empty", " ", true);
                yield return ("wrong type", new JsonObject { ["a"] = 1 }, true);
                yield return ("huge", Huge, true);
                break;
            case FieldKind.Text:
                yield return ("empty", "", false);
                yield return ("wrong type", new JsonArray(1), true);
                yield return ("huge", Huge, true);
                break;
            case FieldKind.Api:
                yield return ("empty", "", true);
                yield return ("wrong type", new JsonArray(4), true);
                yield return ("huge", Huge, true);
                break;
            case FieldKind.Integer:
                yield return ("empty", "", true);
                yield return ("wrong type", "many", true);
                yield return ("fraction", 1.5, true);
                yield return ("huge", JsonNode.Parse("1e20"), true);
                break;
            case FieldKind.Boolean:
                yield return ("empty", "", true);
                yield return ("wrong type", "yes", true);
                break;
            case FieldKind.Duration:
                yield return ("empty", "", true);
                yield return ("wrong type", true, true);
                yield return ("negative", -5, true);
                yield return ("huge", JsonNode.Parse("1e300"), true);
                break;
            case FieldKind.List:
                yield return ("empty", new JsonArray(), false);
                yield return ("wrong type", "oops", true);
                yield return ("null entry", new JsonArray((JsonNode?)null), true);
                yield return ("huge", new JsonArray(Enumerable.Range(0, 5000).Select(i => (JsonNode?)JsonValue.Create(i)).ToArray()), true);
                break;
            case FieldKind.Object:
                yield return ("empty", new JsonObject(), true);
                yield return ("wrong type", "oops", true);
                yield return ("list", new JsonArray(1, 2), true);
                break;
            case FieldKind.OptionalObject:
                yield return ("empty", new JsonObject(), false);
                yield return ("wrong type", 7, true);
                break;
            case FieldKind.StringOrList:
                yield return ("empty", "", true);
                yield return ("wrong type", new JsonObject { ["a"] = 1 }, true);
                yield return ("null entry", new JsonArray((JsonNode?)null), true);
                yield return ("huge", Huge, true);
                break;
        }
    }

    private static (JsonNode Parent, string? Key, int Index) Locate(JsonNode root, string path)
    {
        // path: name(.name)* with [i] suffixes, e.g. actions[1].actions[0].inputs[0].var or [0].parameters[0]
        var steps = new List<object>();
        foreach (var part in path.Split('.'))
        {
            var name = part.Split('[')[0];
            if (name.Length > 0) steps.Add(name);
            foreach (var idx in part.Split('[').Skip(1)) steps.Add(int.Parse(idx.TrimEnd(']'), CultureInfo.InvariantCulture));
        }
        JsonNode node = root;
        for (int i = 0; i < steps.Count - 1; i++)
            node = (steps[i] is string k ? node[k] : node[(int)steps[i]]) ?? throw new InvalidOperationException($"{path}: no such node");
        return steps[^1] is string key ? (node, key, -1) : (node, null, (int)steps[^1]);
    }

    private static void Set(JsonNode root, string path, JsonNode? value)
    {
        var (parent, key, index) = Locate(root, path);
        if (key is not null) parent[key] = value;
        else parent.AsArray()[index] = value;
    }

    private static void Remove(JsonNode root, string path)
    {
        var (parent, key, index) = Locate(root, path);
        if (key is not null) parent.AsObject().Remove(key);
        else parent.AsArray().RemoveAt(index);
    }
}
