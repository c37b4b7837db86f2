using Orleans.Concurrency;

namespace Steep.Contracts;

/// <summary>
/// One submission (keyed by its id): drives the generator, tells the scheduler about new process chains, consumes
/// finished ones and ends the submission. Orleans clients read its state, cancel it and observe its changes.
/// </summary>
[Alias("steep.ISubmissionGrain")]
public interface ISubmissionGrain : IGrainWithStringKey
{
    /// <summary>How long a subscription lasts unless renewed by subscribing again.</summary>
    static readonly TimeSpan SubscriptionLifetime = TimeSpan.FromMinutes(5);

    /// <summary>The submission's current state; null if no submission has this id.</summary>
    [Alias("GetStatus")]
    Task<SubmissionSnapshot?> GetStatusAsync();

    /// <summary>Cancels the submission: waiting chains are dropped, running ones killed; it ends as CANCELLED.</summary>
    [Alias("Cancel")]
    Task CancelAsync();

    /// <summary>
    /// Gives the submission a new priority: stored with it and its unfinished chains, applied to its waiting chains in
    /// the scheduler's queue and to the chains it generates from now on. False when the submission has finished.
    /// </summary>
    [Alias("SetPriority")]
    Task<bool> SetPriorityAsync(int priority);

    /// <summary>Subscribes (or renews the subscription of) <paramref name="observer"/> to the submission's changes.</summary>
    [Alias("Subscribe")]
    Task SubscribeAsync(ISubmissionObserver observer);

    /// <summary>Ends the subscription of <paramref name="observer"/>.</summary>
    [Alias("Unsubscribe")]
    Task UnsubscribeAsync(ISubmissionObserver observer);

    /// <summary>Starts a stored ACCEPTED submission, or resumes an unfinished one after a restart. Used by the silo.</summary>
    [Alias("Start")]
    Task StartAsync();

    /// <summary>A chain of this submission ended. Used by the process chain grains.</summary>
    [OneWay, Alias("ChainFinished")]
    Task ChainFinishedAsync(ChainFinished finished);

    /// <summary>Cancels the open chains of a cancelled submission and ends it. Sent by the grain to itself.</summary>
    [OneWay, Alias("DropChains")]
    Task DropChainsAsync();

    /// <summary>Feeds the chains that ended since the last step to the generator. Sent by the grain to itself.</summary>
    [OneWay, Alias("RunStep")]
    Task RunStepAsync();
}
