namespace Steep.Contracts;

/// <summary>
/// Receives a submission's status and chain-count changes. Create one with
/// <c>IGrainFactory.CreateObjectReference&lt;ISubmissionObserver&gt;(observer)</c> and pass it to
/// <see cref="ISubmissionGrain.SubscribeAsync"/>; subscriptions expire after
/// <see cref="ISubmissionGrain.SubscriptionLifetime"/>, so renew them well before.
/// </summary>
public interface ISubmissionObserver : IGrainObserver
{
    /// <summary>The submission changed (status or counts). Called one way: nothing waits for the observer.</summary>
    void OnSubmissionChanged(SubmissionEvent change);
}
