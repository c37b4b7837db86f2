using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Steep.Api.EventBus;
using Steep.Api.Http;
using Steep.Core.Models;
using Steep.Core.Serialization;
using Steep.Core.Validation;

namespace Steep.Api.Endpoints;

/// <summary><c>/workflows</c>: list, get, submit and cancel submissions.</summary>
internal static class WorkflowEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/workflows").WithTags("Submissions");

        group.MapGet("", ListAsync).WithName("getSubmissions")
            .WithSummary("Submissions, newest first, without workflow, source, results and errorMessage")
            .WithDescription("Query: size (default 10), offset (default 0), status (a submission status). " +
                "Headers x-page-size, x-page-offset and x-page-total describe the page.")
            .Produces<Submission[]>(StatusCodes.Status200OK)
            .Produces<string>(StatusCodes.Status400BadRequest, ApiResults.TextContentType);

        group.MapGet("/{id}", GetAsync).WithName("getSubmissionById")
            .WithSummary("One submission with its workflow and source (the workflow text exactly as it was submitted)")
            .WithDescription("Query: exclude, a comma-separated list of workflow, source and results: the answer leaves them " +
                "out (a for-each over thousands of items has a results object of megabytes; GET /workflows/{id}/results pages it).")
            .Produces<Submission>(StatusCodes.Status200OK)
            .Produces<string>(StatusCodes.Status400BadRequest, ApiResults.TextContentType)
            .Produces<string>(StatusCodes.Status404NotFound, ApiResults.TextContentType);

        group.MapPost("", SubmitAsync).WithName("postWorkflow")
            .WithSummary("Submit a workflow (YAML or JSON, whatever the content type says)")
            .DocumentBody(typeof(Workflow), "The workflow as YAML or JSON; the content type does not matter",
                "application/json", "application/yaml", "application/x-www-form-urlencoded")
            .Produces<Submission>(StatusCodes.Status202Accepted)
            .Produces<string>(StatusCodes.Status400BadRequest, ApiResults.TextContentType)
            .Produces<string>(StatusCodes.Status413PayloadTooLarge, ApiResults.TextContentType);

        group.MapPut("/{id}", UpdateAsync).WithName("putSubmission")
            .WithSummary("Cancel a submission ({\"status\": \"CANCELLED\"}) and/or change its priority ({\"priority\": 10})")
            .WithDescription("A new priority applies to the submission and its REGISTERED, PAUSED and RUNNING process chains; " +
                "a finished submission's priority cannot change (422). The answer is the submission without workflow.")
            .DocumentBody(typeof(StatusUpdate), "{\"status\": \"CANCELLED\"} or {\"priority\": 10} or both", "application/json")
            .Produces<Submission>(StatusCodes.Status200OK)
            .Produces<string>(StatusCodes.Status400BadRequest, ApiResults.TextContentType)
            .Produces<string>(StatusCodes.Status404NotFound, ApiResults.TextContentType)
            .Produces<string>(StatusCodes.Status422UnprocessableEntity, ApiResults.TextContentType);
    }

    private static async Task<IResult> ListAsync(HttpContext context, ISteepInstance steep, CancellationToken ct)
    {
        var query = PageQuery.Parse(context.Request.Query, SubmissionStatus.All, "submission", out var error);
        if (query is null) return ApiResults.BadRequest(error!);
        var page = await steep.Submissions.ListAsync(query.Offset, query.Size, query.Status, ct);
        query.SetHeaders(context.Response, page.Total);
        return ApiResults.Json(page.Items);
    }

    private static async Task<IResult> GetAsync(string id, HttpContext context, ISteepInstance steep, CancellationToken ct)
    {
        var exclude = SubmissionExclusions.Parse(context.Request.Query, out var error);
        if (exclude is null) return ApiResults.BadRequest(error!);
        // without the three large parts the store need not read them at all
        var s = exclude.All
            ? await steep.Submissions.GetSummaryAsync(id, ct)
            : await steep.Submissions.GetAsync(id, ct);
        return s is null ? UnknownSubmission(id) : ApiResults.Json(exclude.Apply(s));
    }

    private static async Task<IResult> SubmitAsync(HttpContext context, ISteepInstance steep, SteepApiOptions options, LargeBodyGate gate,
        CancellationToken ct)
    {
        var (text, error) = await BodyReader.ReadTextAsync(context.Request, options.MaxWorkflowBytes, ct);
        if (error is not null) return error;
        if (string.IsNullOrWhiteSpace(text))
            return ApiResults.BadRequest("The request body is empty: send the workflow to run as YAML or JSON");
        using var turn = await gate.EnterAsync(text.Length, ct);

        Workflow workflow;
        try
        {
            workflow = ModelReader.ReadWorkflow(text, "workflow", options.ReadLimits);
        }
        catch (ModelFormatException e)
        {
            return ApiResults.BadRequest(e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // reading is pure: whatever fails here failed because of the text, so it is the client's to fix
            return ApiResults.BadRequest($"workflow: the workflow could not be read: {e.Message}");
        }

        Submission submission;
        try
        {
            // include actions are checked and expanded here: the instance stores and runs the expanded workflow
            submission = await steep.SubmitAsync(WorkflowValidator.ExpandValid(workflow, options.Macros), text, ct);
        }
        catch (WorkflowRejectedException e)
        {
            return ApiResults.BadRequest("The workflow is invalid:\n" + string.Join("\n", e.Problems));
        }
        context.Response.Headers.Location = $"/workflows/{Uri.EscapeDataString(submission.Id)}";
        return ApiResults.Json(submission, StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> UpdateAsync(string id, HttpContext context, ISteepInstance steep, SteepApiOptions options,
        EventBusHub hub, CancellationToken ct)
    {
        var (update, error) = await UpdateBody.ReadAsync(context.Request, ct);
        if (error is not null) return error;
        // as Steep 6.9: a finished submission's priority is refused before anything changes
        if (update!.Priority is { } priority)
        {
            if (await steep.Submissions.GetSummaryAsync(id, ct) is not { } current) return UnknownSubmission(id);
            if (SubmissionStatus.IsFinal(current.Status)) return PriorityOfFinished("submission", current.Status);
        }
        Submission? s = null;
        if (update.Cancel)
        {
            if (!await steep.CancelAsync(id, ct)) return UnknownSubmission(id);
            // as in Steep, the answer shows the submission after the cancellation: no chain running, the end time set;
            // the wait polls without the large parts (a million-item workflow is megabytes to read every 20 ms)
            s = await Settling.WaitAsync(token => steep.Submissions.GetSummaryAsync(id, token),
                s => s.EndTime is not null && s.RunningProcessChains == 0, options.CancelWait, ct);
            if (s is not null) s = await steep.Submissions.GetAsync(id, ct);
        }
        if (update.Priority is { } p)
        {
            var change = await steep.SetSubmissionPriorityAsync(id, p, ct);
            if (change == PriorityChange.NotFound) return UnknownSubmission(id);
            // a cancellation that has just finished the submission leaves its priority as it was
            if (change == PriorityChange.Finished && !update.Cancel) return PriorityOfFinished("submission", SubmissionStatus.Cancelled);
            // the instance's events carry no priorities: the change is announced where it is made, as Steep's registry does
            if (change == PriorityChange.Changed) hub.SubmissionPriorityChanged(id, p);
            s = await steep.Submissions.GetAsync(id, ct);
        }
        return s is null ? UnknownSubmission(id) : ApiResults.Json(s with { Workflow = null });
    }

    /// <summary>422 as Steep answers a priority change of something that has finished.</summary>
    internal static IResult PriorityOfFinished(string what, string status) => ApiResults.Text(StatusCodes.Status422UnprocessableEntity,
        $"Cannot change priority of a finished {what} (its status is {status}); only ACCEPTED, REGISTERED, PAUSED and RUNNING ones take a new priority");

    private static IResult UnknownSubmission(string id) =>
        ApiResults.NotFound($"There is no submission with ID '{PageQuery.Shorten(id)}'");
}
