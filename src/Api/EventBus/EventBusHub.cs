using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Steep.Contracts;
using Steep.Grains;

namespace Steep.Api.EventBus;

/// <summary>
/// The server side of <c>/eventbus</c>: one subscription to the instance's events (the source <c>/events</c> uses),
/// turned into Steep's event bus messages and handed to every bridge session registered for their address.
/// </summary>
internal sealed class EventBusHub(ISteepInstance steep, ILogger<EventBusHub> logger) : IHostedService
{
    /// <summary>SockJS's disconnect delay: an xhr session without a receiving connection for this long is gone.</summary>
    private static readonly TimeSpan DisconnectDelay = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<BridgeSession, byte> _sessions = new();
    private readonly ConcurrentDictionary<string, BridgeSession> _xhrSessions = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private Subscription? _subscription;
    private Task? _loop;
    private Task? _sweeper;

    /// <summary>A new session (a websocket's).</summary>
    public BridgeSession Open(string id)
    {
        var session = new BridgeSession(id);
        _sessions.TryAdd(session, 0);
        return session;
    }

    /// <summary>The xhr session with this id, made on first use (<paramref name="created"/> then true).</summary>
    public BridgeSession OpenXhr(string id, out bool created)
    {
        bool made = false;
        var session = _xhrSessions.GetOrAdd(id, key =>
        {
            made = true;
            return Open(key);
        });
        created = made;
        return session;
    }

    /// <summary>An existing xhr session, or null.</summary>
    public BridgeSession? FindXhr(string id) => _xhrSessions.TryGetValue(id, out var s) && !s.IsClosed ? s : null;

    public void Close(BridgeSession session)
    {
        session.Close();
        _sessions.TryRemove(session, out _);
        _xhrSessions.TryRemove(new KeyValuePair<string, BridgeSession>(session.Id, session));
    }

    /// <summary>True when some session listens to the address (lets the translator skip store look-ups nobody needs).</summary>
    public bool IsListened(string address) => _sessions.Keys.Any(s => s.IsRegistered(address));

    /// <summary>Sends a message to every session registered for its address.</summary>
    public void Publish(string address, JsonNode body)
    {
        if (_sessions.IsEmpty) return;
        var encoded = new JsonObject { ["type"] = "rec", ["address"] = address, ["body"] = body }.ToJsonString();
        foreach (var session in _sessions.Keys) session.Deliver(address, encoded);
    }

    /// <summary>Steep's messages for a new submission priority: the submission's, then that of its chains.</summary>
    public void SubmissionPriorityChanged(string submissionId, int priority)
    {
        Publish(EventBusAddresses.SubmissionPriorityChanged, new JsonObject { ["submissionId"] = submissionId, ["priority"] = priority });
        Publish(EventBusAddresses.ProcessChainAllPriorityChanged, new JsonObject { ["submissionId"] = submissionId, ["priority"] = priority });
    }

    /// <summary>Steep's message for a new process chain priority.</summary>
    public void ProcessChainPriorityChanged(string processChainId, int priority) =>
        Publish(EventBusAddresses.ProcessChainPriorityChanged, new JsonObject { ["processChainId"] = processChainId, ["priority"] = priority });

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // subscribed before the server takes requests, like the metrics feeder
        _subscription = steep.SubscribeEvents();
        var reader = _subscription.Events;
        var translator = new EventTranslator(steep, this);
        _loop = Task.Run(async () =>
        {
            // ends when the subscription is disposed (the channel completes)
            await foreach (var e in reader.ReadAllAsync())
            {
                try
                {
                    await translator.TranslateAsync(e, _stop.Token);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // a failed look-up costs one message, never the bridge
                    logger.LogWarning(ex, "Could not publish an event on the event bus");
                }
            }
        }, CancellationToken.None);
        _sweeper = Task.Run(SweepAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        _subscription?.Dispose();
        foreach (var s in _sessions.Keys) Close(s);
        try
        {
            if (_loop is not null) await _loop.WaitAsync(cancellationToken);
            if (_sweeper is not null) await _sweeper.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // stopping anyway
        }
    }

    private async Task SweepAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await Task.Delay(DisconnectDelay, _stop.Token);
                var now = DateTime.UtcNow;
                foreach (var s in _xhrSessions.Values)
                    if (!s.IsAttached && now - s.DetachedAt > DisconnectDelay) Close(s);
            }
        }
        catch (OperationCanceledException)
        {
            // the server stops
        }
    }
}
