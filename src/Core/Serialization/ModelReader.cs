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
        return Bind<Workflow>(node, source, "workflow");
    }

    /// <summary>Reads a list of service metadata (a single object is accepted too).</summary>
    /// <exception cref="ModelFormatException">the text is not service metadata: every problem of its shape, one per line.</exception>
    public static IReadOnlyList<Service> ReadServices(string text, string source, ReadLimits? limits = null)
    {
        var node = ParseDocument(text, source, limits);
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
