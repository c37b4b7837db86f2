using System.Text.Json;
using System.Text.Json.Nodes;
using Steep.Core.Models;

namespace Steep.Core.Serialization;

/// <summary>Reads workflows and service metadata from YAML or JSON text.</summary>
public static class ModelReader
{
    /// <summary>Parses YAML or JSON (detected from the first character) into a JSON tree.</summary>
    public static JsonNode? ParseDocument(string text, string source, ReadLimits? limits = null)
    {
        limits ??= ReadLimits.Default;
        var trimmed = text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
        {
            try
            {
                // parse the text as written (only without a byte order mark), so error positions match the file
                return JsonNode.Parse(text.TrimStart('\uFEFF'), documentOptions: new JsonDocumentOptions
                {
                    AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = limits.MaxDepth,
                });
            }
            catch (JsonException e)
            {
                throw new ModelFormatException(
                    $"{source}: line {(e.LineNumber ?? 0) + 1}, column {(e.BytePositionInLine ?? 0) + 1}: JSON syntax error: {StripPosition(e.Message)}");
            }
        }
        return YamlToJson.Parse(text, source, limits);
    }

    /// <summary>Reads a workflow.</summary>
    /// <exception cref="ModelFormatException">the text is not a workflow: every problem of its shape, one per line.</exception>
    public static Workflow ReadWorkflow(string text, string source, ReadLimits? limits = null)
    {
        var node = ParseDocument(text, source, limits);
        if (node is not JsonObject)
            throw new ModelFormatException($"{source}: a workflow must be an object with 'api', 'vars' and 'actions'");
        ThrowIfAny(WorkflowShapeCheck.Check(node), source);
        InlineVariables.Hoist((JsonObject)node);
        return Bind<Workflow>(node, source, "workflow");
    }

    /// <summary>Reads macros (Steep 6): a list of macros or a single macro.</summary>
    public static IReadOnlyList<Macro> ReadMacros(string text, string source)
    {
        var node = ParseDocument(text, source);
        switch (node)
        {
            case null:
                return [];
            case JsonObject one:
                InlineVariables.Hoist(one);
                return [Bind<Macro>(one, source, "macro")];
            case JsonArray list:
                var macros = new List<Macro>(list.Count);
                for (int i = 0; i < list.Count; i++)
                {
                    if (list[i] is not JsonObject m)
                        throw new ModelFormatException($"{source}: macro #{i + 1} must be an object with 'id', 'parameters' and 'actions'");
                    InlineVariables.Hoist(m);
                    macros.Add(Bind<Macro>(m, $"{source}: macro #{i + 1}", "macro"));
                }
                return macros;
            default:
                throw new ModelFormatException($"{source}: macros must be a list of macros (or one macro) with 'id', 'parameters' and 'actions'");
        }
    }

    /// <summary>Reads a list of service metadata (a single object is accepted too).</summary>
    /// <exception cref="ModelFormatException">the text is not service metadata: every problem of its shape, one per line.</exception>
    public static IReadOnlyList<Service> ReadServices(string text, string source, ReadLimits? limits = null)
    {
        var node = ParseDocument(text, source, limits);
        foreach (var service in node is JsonArray list ? list.OfType<JsonObject>() : node is JsonObject o ? [o] : [])
            UseModelNames(service);
        ThrowIfAny(ServiceShapeCheck.Check(node), source);
        return node switch
        {
            null => [],
            JsonArray => Bind<List<Service>>(node, source, "service metadata"),
            JsonObject => [Bind<Service>(node, source, "service metadata")],
            _ => throw new ModelFormatException($"{source}: service metadata must be a list of services"),
        };
    }

    /// <summary>Reads every service file (YAML or JSON) given; later files override earlier ids.</summary>
    public static IReadOnlyList<Service> ReadServiceFiles(IEnumerable<string> paths)
    {
        var byId = new Dictionary<string, Service>();
        var order = new List<string>();
        foreach (var path in paths)
        {
            foreach (var s in ReadServices(File.ReadAllText(path), path))
            {
                if (!byId.ContainsKey(s.Id)) order.Add(s.Id);
                byId[s.Id] = s;
            }
        }
        return order.Select(id => byId[id]).ToList();
    }

    /// <summary>
    /// Steep 5 wrote service metadata in snake_case, Steep 6 reads and writes camelCase: both are accepted, renamed
    /// here to the model's (Steep 5) names. A file that spells a field both ways keeps the snake_case value.
    /// </summary>
    private static void UseModelNames(JsonObject service)
    {
        Rename(service, "runtimeArgs", "runtime_args");
        Rename(service, "requiredCapabilities", "required_capabilities");
        foreach (var p in service["parameters"] as JsonArray ?? [])
        {
            if (p is not JsonObject parameter) continue;
            Rename(parameter, "dataType", "data_type");
            Rename(parameter, "fileSuffix", "file_suffix");
        }
        foreach (var a in service["runtime_args"] as JsonArray ?? [])
            if (a is JsonObject argument) Rename(argument, "dataType", "data_type");
    }

    private static void Rename(JsonObject o, string from, string to)
    {
        if (!o.TryGetPropertyValue(from, out var value) || o.ContainsKey(to)) return;
        o.Remove(from);
        o[to] = value;
    }

    /// <summary>Binds a JSON tree to a model type, turning shape errors into a message with the field path.</summary>
    public static T Bind<T>(JsonNode node, string source, string what)
    {
        try
        {
            return node.Deserialize<T>(SteepJson.Options)
                ?? throw new ModelFormatException($"{source}: the {what} is empty");
        }
        catch (JsonException e)
        {
            var path = e.Path is null or "$" ? "" : $" at {e.Path.TrimStart('$', '.')}";
            throw new ModelFormatException($"{source}: invalid {what}{path}: {StripPosition(e.Message)}");
        }
        catch (InvalidOperationException e)
        {
            throw new ModelFormatException($"{source}: invalid {what}: {e.Message}");
        }
    }

    private static void ThrowIfAny(IReadOnlyList<string> problems, string source)
    {
        if (problems.Count > 0) throw new ModelFormatException(string.Join("\n", problems.Select(p => $"{source}: {p}")));
    }

    private static string StripPosition(string message)
    {
        var i = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (i < 0) i = message.IndexOf(" LineNumber: ", StringComparison.Ordinal);
        return (i >= 0 ? message[..i] : message).TrimEnd('.', ' ');
    }
}
