using System.Text;
using Steep.Client.Internal;
using Steep.Client.Models;

namespace Steep.Client;

public sealed partial class SteepClient
{
    /// <summary>Submits a workflow written in YAML or JSON, as it is (<c>POST /workflows</c>).</summary>
    /// <param name="workflow">The workflow text. Text starting with '{' is sent as JSON, anything else as YAML.</param>
    /// <param name="cancellationToken">Cancels the request (not the submission once the server has accepted it).</param>
    /// <returns>The new submission, usually with status <see cref="SubmissionStatus.Accepted"/>.</returns>
    /// <exception cref="SteepApiException">
    /// The workflow is invalid (400, <see cref="SteepApiException.ServerMessage"/> says why), too large (413), or the
    /// server answered with another error status.
    /// </exception>
    public Task<Submission> SubmitWorkflowAsync(string workflow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        var mediaType = workflow.AsSpan().TrimStart().StartsWith("{") ? "application/json" : "application/yaml";
        var request = Request(HttpMethod.Post, "workflows");
        request.Content = new StringContent(workflow, new UTF8Encoding(false), mediaType);
        return SendForJsonAsync<Submission>(request, cancellationToken);
    }

    /// <summary>Submits a workflow built in code, as JSON (<c>POST /workflows</c>).</summary>
    /// <param name="workflow">The workflow.</param>
    /// <param name="cancellationToken">Cancels the request (not the submission once the server has accepted it).</param>
    /// <returns>The new submission, usually with status <see cref="SubmissionStatus.Accepted"/>.</returns>
    /// <exception cref="SteepApiException">The workflow is invalid (400, <see cref="SteepApiException.ServerMessage"/> says why) or the server answered with another error status.</exception>
    public Task<Submission> SubmitWorkflowAsync(Workflow workflow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        var request = Request(HttpMethod.Post, "workflows");
        request.Content = JsonBody(workflow);
        return SendForJsonAsync<Submission>(request, cancellationToken);
    }

    /// <summary>Gets one submission with its workflow, results and error message (<c>GET /workflows/{id}</c>).</summary>
    /// <param name="submissionId">The submission's id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The submission, or null when the server knows no submission with this id.</returns>
    /// <exception cref="SteepApiException">The server answered with an error status other than 404.</exception>
    public Task<Submission?> GetSubmissionAsync(string submissionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(submissionId);
        return GetJsonOrNullAsync<Submission>("workflows/" + QueryString.Segment(submissionId), cancellationToken);
    }

    /// <summary>
    /// Lists submissions, newest first, without their workflow, results and error message (<c>GET /workflows</c>).
    /// </summary>
    /// <param name="offset">The offset of the first submission to return.</param>
    /// <param name="size">The maximum number of submissions to return; null for the server's default (10).</param>
    /// <param name="status">Only submissions with this status (see <see cref="SubmissionStatus"/>); null for all.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The page, with the total number of matching submissions.</returns>
    /// <exception cref="SteepApiException">The server rejected a parameter (400) or answered with another error status.</exception>
    public Task<Page<Submission>> ListSubmissionsAsync(int offset = 0, int? size = null, string? status = null,
        CancellationToken cancellationToken = default)
    {
        CheckPaging(offset, size);
        return GetPageAsync<Submission>(QueryString.Build("workflows", ("offset", offset), ("size", size), ("status", status)),
            offset, size, cancellationToken);
    }

    /// <summary>
    /// Cancels a submission (<c>PUT /workflows/{id}</c> with <c>{"status": "CANCELLED"}</c>): the server stops
    /// generating process chains and kills those that run. Cancelling a finished submission changes nothing.
    /// </summary>
    /// <param name="submissionId">The submission's id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The submission as the server saw it after the request, without its workflow; running chains may still be ending.</returns>
    /// <exception cref="SteepApiException">There is no such submission (404) or the server answered with another error status.</exception>
    public Task<Submission> CancelSubmissionAsync(string submissionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(submissionId);
        var request = Request(HttpMethod.Put, "workflows/" + QueryString.Segment(submissionId));
        request.Content = CancelBody();
        return SendForJsonAsync<Submission>(request, cancellationToken);
    }

    /// <summary>
    /// Changes a submission's priority and that of its unfinished process chains (<c>PUT /workflows/{id}</c> with
    /// <c>{"priority": n}</c>); higher runs first.
    /// </summary>
    /// <param name="submissionId">The submission's id.</param>
    /// <param name="priority">The new priority.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The submission after the change, without its workflow.</returns>
    /// <exception cref="SteepApiException">There is no such submission (404), it has finished (422) or the server answered with another error status.</exception>
    public Task<Submission> SetSubmissionPriorityAsync(string submissionId, int priority, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(submissionId);
        var request = Request(HttpMethod.Put, "workflows/" + QueryString.Segment(submissionId));
        request.Content = PriorityBody(priority);
        return SendForJsonAsync<Submission>(request, cancellationToken);
    }
}
