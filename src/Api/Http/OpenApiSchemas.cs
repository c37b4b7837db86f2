using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Steep.Core.Models;

namespace Steep.Api.Http;

/// <summary>
/// Makes the OpenAPI schemas say what the API writes where that differs from the model types: service metadata in
/// Steep 6's camelCase, process chains with agentId, runNumber and totalRuns.
/// </summary>
internal static class OpenApiSchemas
{
    public static Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        var type = context.JsonTypeInfo.Type;
        if (type == typeof(Service))
        {
            Rename(schema, "runtime_args", "runtimeArgs");
            Rename(schema, "required_capabilities", "requiredCapabilities");
        }
        else if (type == typeof(ServiceParameter))
        {
            Rename(schema, "data_type", "dataType");
            Rename(schema, "file_suffix", "fileSuffix");
        }
        else if (type == typeof(RuntimeArgument))
        {
            Rename(schema, "data_type", "dataType");
        }
        else if (type == typeof(ProcessChain) && schema.Properties is { } chain)
        {
            chain["agentId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The agent that runs or ran the chain" };
            chain["runNumber"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "The number of the current or last run (from 1; absent before the first)" };
            chain["totalRuns"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "How often the chain has been started" };
        }
        if (type == typeof(ProcessChain) || type == typeof(Submission))
        {
            if (schema.Properties?.TryGetValue("priority", out var p) == true && p is OpenApiSchema priority)
                priority.Description = "Higher runs first; left out when 0 (the default, or the workflow's priority)";
        }
        return Task.CompletedTask;
    }

    /// <summary>Every GET route answers HEAD: the same responses, headers only.</summary>
    public static void AddHeadOperations(OpenApiDocument document)
    {
        foreach (var item in document.Paths.Values.OfType<OpenApiPathItem>())
        {
            if (item.Operations is not { } operations || !operations.TryGetValue(HttpMethod.Get, out var get)) continue;
            var head = new OpenApiOperation
            {
                Summary = "Headers of GET (same status, Content-Type and Content-Length; no body)",
                Tags = get.Tags,
                Parameters = get.Parameters,
                OperationId = get.OperationId is { } id ? "head" + char.ToUpperInvariant(id[0]) + id[1..] : null,
                Responses = new OpenApiResponses(),
            };
            foreach (var (code, response) in get.Responses ?? [])
                head.Responses[code] = new OpenApiResponse { Description = response.Description ?? "" };
            operations[HttpMethod.Head] = head;
        }
    }

    private static void Rename(OpenApiSchema schema, string from, string to)
    {
        if (schema.Properties is not { } properties || !properties.Remove(from, out var value)) return;
        properties[to] = value;
        if (schema.Required?.Remove(from) == true) schema.Required.Add(to);
    }
}
