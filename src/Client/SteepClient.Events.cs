using System.Net;
using System.Runtime.CompilerServices;
using Steep.Client.Events;
using Steep.Client.Internal;
using Steep.Client.Models;

namespace Steep.Client;

public sealed partial class SteepClient
{
    private static readonly TimeSpan EventSafetyPollInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FirstPollInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxPollInterval = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Follows the server's events (<c>GET /events</c>, server-sent events): changes of submissions, process chains
    /// and agents as they happen. Events that happened before the stream was opened are not repeated.
    /// </summary>
    /// <param name="cancellationToken">
    /// Stops watching. The enumeration then ends normally, without an <see cref="OperationCanceledException"/>; the
    /// same holds for a token passed through <c>WithCancellation</c>.
    /// </param>
    /// <returns>The events in the order the server sent them; the sequence ends when the server closes the stream.</returns>
    /// <exception cref="SteepApiException">The server refused the stream (for instance 401 without a valid token).</exception>
    /// <remarks>The client does not reconnect when the connection drops; start a new enumeration for that.</remarks>
    public async IAsyncEnumerable<SteepEvent> WatchEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        EventStream stream;
        try
        {
            stream = await OpenEventStreamAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            yield break;
        }
        using (stream)
        {
            while (true)
            {
                SteepEvent? e;
                try
                {
                    e = await stream.ReadAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (cancellationToken.IsCancellationRequested
                    && ex is OperationCanceledException or IOException or HttpRequestException or ObjectDisposedException)
                {
                    yield break;
                }
                if (e is null) yield break;
                yield return e;
            }
        }
    }

    /// <summary>Opens <c>GET /events</c>; when this returns, the server has subscribed the stream.</summary>
    internal async Task<EventStream> OpenEventStreamAsync(CancellationToken cancellationToken)
    {
        var request = Request(HttpMethod.Get, "events", accept: "text/event-stream");
        request.Headers.CacheControl = new System.Net.Http.Headers.CacheControlHeaderValue { NoCache = true };
        HttpResponseMessage? response = null;
        try
        {
            response = await SendAsync(request, cancellationToken, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) throw await ErrorAsync(response, cancellationToken).ConfigureAwait(false);
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var result = new EventStream(response, stream);
            response = null;
            return result;
        }
        finally
        {
            response?.Dispose();
            request.Dispose();
        }
    }

    /// <summary>
    /// Waits until a submission has reached a final status (<see cref="SubmissionStatus.IsFinal"/>) and none of its
    /// process chains runs any more (a cancelled submission is final at once, its running chains end a moment later),
    /// and returns it in full, with results or error message. Follows the server's events to learn about the end at once, and
    /// polls <c>GET /workflows/{id}</c> now and then (often when events are not available) so that it never depends
    /// on one lost event.
    /// </summary>
    /// <param name="submissionId">The submission's id.</param>
    /// <param name="timeout">How long to wait at most; null or <see cref="Timeout.InfiniteTimeSpan"/> to wait as long as it takes.</param>
    /// <param name="cancellationToken">Stops waiting (throws <see cref="OperationCanceledException"/>); the submission goes on.</param>
    /// <returns>The finished submission.</returns>
    /// <exception cref="TimeoutException">The submission did not finish within <paramref name="timeout"/>.</exception>
    /// <exception cref="SteepApiException">There is no such submission (404) or the server answered with another error status.</exception>
    public async Task<Submission> WaitForSubmissionAsync(string submissionId, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(submissionId);
        if (timeout is { } t && t < TimeSpan.Zero && t != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must not be negative");

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } limit && limit != Timeout.InfiniteTimeSpan) deadline.CancelAfter(limit);
        var ct = deadline.Token;
        string lastStatus = "unknown";
        SubmissionWatch? watch = null;
        try
        {
            // subscribe first, then read the status: an end between the two still wakes the loop below
            watch = await SubmissionWatch.StartAsync(this, submissionId, ct).ConfigureAwait(false);
            var pollInterval = FirstPollInterval;
            while (true)
            {
                var submission = await GetSubmissionAsync(submissionId, ct).ConfigureAwait(false)
                    ?? throw new SteepApiException(HttpStatusCode.NotFound, $"There is no submission with ID '{submissionId}'",
                        "GET", Url("workflows/" + QueryString.Segment(submissionId)));
                lastStatus = submission.Status;
                // a cancelled submission is final at once, but its running chains end a moment later
                if (submission.IsFinal && submission.RunningProcessChains == 0) return submission;
                TimeSpan wait;
                if (watch.IsListening) wait = EventSafetyPollInterval;
                else
                {
                    wait = pollInterval;
                    pollInterval = TimeSpan.FromTicks(Math.Min(MaxPollInterval.Ticks, (long)(pollInterval.Ticks * 1.5)));
                }
                await watch.WaitAsync(wait, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Submission '{submissionId}' did not finish within {timeout}; its last status was {lastStatus}");
        }
        finally
        {
            if (watch is not null) await watch.DisposeAsync().ConfigureAwait(false);
        }
    }
}
