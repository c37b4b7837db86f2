using Steep.Client.Events;

namespace Steep.Client.Internal;

/// <summary>Reads the event stream in the background and wakes a waiter when one submission's final status appears.</summary>
internal sealed class SubmissionWatch : IAsyncDisposable
{
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private Task _reader = Task.CompletedTask;
    private volatile bool _listening;

    public bool IsListening => _listening;

    public static async Task<SubmissionWatch> StartAsync(SteepClient client, string submissionId, CancellationToken ct)
    {
        var watch = new SubmissionWatch();
        EventStream? stream = null;
        try
        {
            stream = await client.OpenEventStreamAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or SteepApiException or IOException
            || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            // no events (an older server, a proxy that buffers): polling alone will do
        }
        if (stream is not null)
        {
            watch._listening = true;
            watch._reader = watch.ReadAsync(stream, submissionId);
        }
        return watch;
    }

    private async Task ReadAsync(EventStream stream, string submissionId)
    {
        using (stream)
        {
            try
            {
                while (await stream.ReadAsync(_stop.Token).ConfigureAwait(false) is { } e)
                {
                    if (e is SubmissionEvent s && s.SubmissionId == submissionId && s.IsFinal && s.RunningProcessChains == 0) _wake.Release();
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException or ObjectDisposedException)
            {
                // stopped, or the connection dropped: the waiter falls back to polling
            }
            finally
            {
                _listening = false;
                if (!_stop.IsCancellationRequested) _wake.Release();
            }
        }
    }

    /// <summary>Returns after <paramref name="wait"/> or as soon as the stream reports the end (or ends itself).</summary>
    public Task WaitAsync(TimeSpan wait, CancellationToken ct) => _wake.WaitAsync(wait, ct);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _reader.ConfigureAwait(false);
        _stop.Dispose();
        _wake.Dispose();
    }
}
