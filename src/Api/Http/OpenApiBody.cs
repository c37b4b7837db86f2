using Microsoft.AspNetCore.Builder;
using Microsoft.OpenApi;

namespace Steep.Api.Http;

/// <summary>
/// Documents a request body in the OpenAPI document only. <c>Accepts&lt;T&gt;</c> would also make routing refuse other
/// content types with 415, and these endpoints read their body whatever its content type says (curl -d sends a form type).
/// </summary>
internal static class OpenApiBody
{
    public static TBuilder DocumentBody<TBuilder>(this TBuilder builder, Type type, string description, params string[] contentTypes)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer(async (operation, context, ct) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(type, null, ct);
            var body = new OpenApiRequestBody { Required = true, Description = description, Content = new Dictionary<string, OpenApiMediaType>() };
            foreach (var c in contentTypes) body.Content[c] = new OpenApiMediaType { Schema = schema };
            operation.RequestBody = body;
        });
}
