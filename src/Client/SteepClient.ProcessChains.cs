using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Steep.Client.Internal;
using Steep.Client.Models;

namespace Steep.Client;

public sealed partial class SteepClient
{
    /// <summary>
    /// Lists process chains, newest first, without their executables, results and error message (<c>GET /processchains</c>).
    /// </summary>
    /// <param name="submissionId">Only chains of this submission; null for all.</param>
    /// <param name="status">Only chains with this status (see <see cref="ProcessChainStatus"/>); null for all.</param>
    /// <param name="offset">The offset of the first chain to return.</param>
    /// <param name="size">The maximum number of chains to return; null for the server's default (10).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The page, with the total number of matching process chains.</returns>
    /// <exception cref="SteepApiException">The server rejected a parameter (400) or answered with another error status.</exception>
    public Task<Page<ProcessChain>> ListProcessChainsAsync(string? submissionId = null, string? status = null, int offset = 0,
        int? size = null, CancellationToken cancellationToken = default)
    {
        CheckPaging(offset, size);
        var path = QueryString.Build("processchains",
            ("submissionId", submissionId), ("status", status), ("offset", offset), ("size", size));
        return GetPageAsync<ProcessChain>(path, offset, size, cancellationToken);
    }

    /// <summary>Gets one process chain with its executables, results and error message (<c>GET /processchains/{id}</c>).</summary>
    /// <param name="processChainId">The process chain's id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The process chain, or null when the server knows no process chain with this id.</returns>
    /// <exception cref="SteepApiException">The server answered with an error status other than 404.</exception>
    public Task<ProcessChain?> GetProcessChainAsync(string processChainId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(processChainId);
        return GetJsonOrNullAsync<ProcessChain>("processchains/" + QueryString.Segment(processChainId), cancellationToken);
    }

    /// <summary>
    /// Cancels one process chain (<c>PUT /processchains/{id}</c> with <c>{"status": "CANCELLED"}</c>). A chain that runs
    /// ends once its agent has killed it, so the returned status may still be <see cref="ProcessChainStatus.Running"/>.
    /// </summary>
    /// <param name="processChainId">The process chain's id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The process chain as the server saw it after the request, without executables.</returns>
    /// <exception cref="SteepApiException">There is no such process chain (404) or the server answered with another error status.</exception>
    public Task<ProcessChain> CancelProcessChainAsync(string processChainId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(processChainId);
        var request = Request(HttpMethod.Put, "processchains/" + QueryString.Segment(processChainId));
        request.Content = CancelBody();
        return SendForJsonAsync<ProcessChain>(request, cancellationToken);
    }

    /// <summary>
    /// Changes a process chain's priority (<c>PUT /processchains/{id}</c> with <c>{"priority": n}</c>); only chains that
    /// have not finished take one.
    /// </summary>
    /// <param name="processChainId">The process chain's id.</param>
    /// <param name="priority">The new priority (higher runs first).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The process chain after the change, without executables.</returns>
    /// <exception cref="SteepApiException">There is no such process chain (404), it has finished (422) or the server answered with another error status.</exception>
    public Task<ProcessChain> SetProcessChainPriorityAsync(string processChainId, int priority, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(processChainId);
        var request = Request(HttpMethod.Put, "processchains/" + QueryString.Segment(processChainId));
        request.Content = PriorityBody(priority);
        return SendForJsonAsync<ProcessChain>(request, cancellationToken);
    }

    /// <summary>Lists a process chain's runs, oldest first (<c>GET /processchains/{id}/runs</c>).</summary>
    /// <param name="processChainId">The process chain's id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The runs (empty for a chain that has not run), or null when the server knows no process chain with this id.</returns>
    /// <exception cref="SteepApiException">The server answered with an error status other than 404.</exception>
    public Task<IReadOnlyList<ProcessChainRun>?> ListProcessChainRunsAsync(string processChainId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(processChainId);
        return GetJsonOrNullAsync<IReadOnlyList<ProcessChainRun>>("processchains/" + QueryString.Segment(processChainId) + "/runs", cancellationToken);
    }

    /// <summary>Gets one run of a process chain (<c>GET /processchains/{id}/runs/{runNumber}</c>).</summary>
    /// <param name="processChainId">The process chain's id.</param>
    /// <param name="runNumber">The run's number, from 1.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The run, or null when there is no such chain or run.</returns>
    /// <exception cref="SteepApiException">The server answered with an error status other than 404.</exception>
    public Task<ProcessChainRun?> GetProcessChainRunAsync(string processChainId, int runNumber, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(processChainId);
        ArgumentOutOfRangeException.ThrowIfLessThan(runNumber, 1);
        return GetJsonOrNullAsync<ProcessChainRun>("processchains/" + QueryString.Segment(processChainId) + "/runs/" +
            runNumber.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
    }

    /// <summary>Gets a process chain's log, or a byte range of it (<c>GET /logs/processchains/{id}</c>).</summary>
    /// <param name="processChainId">The process chain's id.</param>
    /// <param name="range">
    /// One byte range to get, such as <c>new RangeHeaderValue(0, 99)</c> (the first 100 bytes),
    /// <c>new RangeHeaderValue(100, null)</c> (from byte 100 on) or <c>new RangeHeaderValue(null, 100)</c> (the last
    /// 100 bytes); null for the whole log.
    /// </param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The log text and where it lies in the file, or null when there is no such chain or it has no log (yet).</returns>
    /// <exception cref="ArgumentException"><paramref name="range"/> is not a single byte range.</exception>
    /// <exception cref="SteepApiException">The range lies outside the log (416) or the server answered with another error status.</exception>
    public async Task<ProcessChainLog?> GetProcessChainLogAsync(string processChainId, RangeHeaderValue? range = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(processChainId);
        if (range is not null && (range.Unit != "bytes" || range.Ranges.Count != 1))
            throw new ArgumentException("Only one range in bytes is supported", nameof(range));
        using var request = Request(HttpMethod.Get, "logs/processchains/" + QueryString.Segment(processChainId), accept: "text/plain");
        if (range is not null) request.Headers.Range = range;
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        if (!response.IsSuccessStatusCode) throw await ErrorAsync(response, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var text = new UTF8Encoding(false).GetString(bytes);
        if (response.StatusCode == HttpStatusCode.PartialContent)
        {
            var contentRange = response.Content.Headers.ContentRange;
            return new ProcessChainLog(text, contentRange?.From ?? 0, bytes.Length, contentRange?.Length, IsPartial: true);
        }
        return new ProcessChainLog(text, 0, bytes.Length, bytes.Length, IsPartial: false);
    }
}
