using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Steep.Api.Http;
using Steep.Core.Models;
using Steep.Core.Serialization;
using Steep.Core.Validation;

namespace Steep.Api.Endpoints;

/// <summary><c>POST /validate</c>: the problems <c>POST /workflows</c> would name, without submitting anything.</summary>
internal static class ValidateEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/validate", ValidateAsync).WithName("validateWorkflow").WithTags("Submissions")
            .WithSummary("Check a workflow (YAML or JSON) against the server's services without running it")
            .WithDescription("Answers {\"valid\": true, \"problems\": []} (200) or {\"valid\": false, \"problems\": [\"…\"]} (400); " +
                "the problems are the ones POST /workflows would answer with. Nothing is stored.")
            .DocumentBody(typeof(Workflow), "The workflow as YAML or JSON", "application/json", "application/yaml")
            .Produces<ValidationResult>(StatusCodes.Status200OK)
            .Produces<ValidationResult>(StatusCodes.Status400BadRequest)
            .Produces<string>(StatusCodes.Status413PayloadTooLarge, ApiResults.TextContentType);
    }

    /// <summary>The answer of <c>POST /validate</c>.</summary>
    internal sealed record ValidationResult(
        [property: System.Text.Json.Serialization.JsonPropertyName("valid")] bool Valid,
        [property: System.Text.Json.Serialization.JsonPropertyName("problems")] IReadOnlyList<string> Problems);

    private static async Task<IResult> ValidateAsync(HttpContext context, ISteepInstance steep, SteepApiOptions options, LargeBodyGate gate,
        CancellationToken ct)
    {
        var (text, error) = await BodyReader.ReadTextAsync(context.Request, options.MaxWorkflowBytes, ct);
        if (error is not null) return error;
        if (string.IsNullOrWhiteSpace(text)) return Answer(["The workflow is empty: write the workflow as YAML or JSON"]);
        using var turn = await gate.EnterAsync(text.Length, ct);
        Workflow workflow;
        try
        {
            workflow = ModelReader.ReadWorkflow(text, "workflow", options.ReadLimits);
        }
        catch (ModelFormatException e)
        {
            return Answer([e.Message]);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // reading is pure: whatever fails here failed because of the text (as in POST /workflows)
            return Answer([$"workflow: the workflow could not be read: {e.Message}"]);
        }
        return Answer(WorkflowValidator.Validate(workflow, steep.ServiceMetadata));
    }

    private static IResult Answer(IReadOnlyList<string> problems) => ApiResults.Json(
        new ValidationResult(problems.Count == 0, problems),
        problems.Count == 0 ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
}
