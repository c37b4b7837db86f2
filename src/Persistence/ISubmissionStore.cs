using Steep.Core.Models;

namespace Steep.Persistence;

/// <summary>Submissions and the generator journal. Every method has finished writing durably when its task completes.</summary>
public interface ISubmissionStore
{
    /// <summary>Stores a new submission (with its workflow). Fails if the id exists.</summary>
    Task AddAsync(Submission submission, CancellationToken ct);

    /// <summary>The full submission (workflow, results, error message) with process chain counts computed from its chains; null if unknown.</summary>
    Task<Submission?> GetAsync(string id, CancellationToken ct);

    /// <summary>
    /// The submission with its chain counts and error message but without workflow, source, results and service
    /// metadata, which can be megabytes for a large for-each; null if unknown.
    /// </summary>
    Task<Submission?> GetSummaryAsync(string id, CancellationToken ct);

    /// <summary>
    /// A page of the submission's results (output variable → files) in the order of its results object, and the number
    /// of variables; null if the submission is unknown. Only the page is deserialized: a for-each over 10,000 items has
    /// 10,000 variables.
    /// </summary>
    Task<Page<KeyValuePair<string, IReadOnlyList<string>>>?> GetResultsAsync(string id, int offset, int size, CancellationToken ct);

    /// <summary>Submissions newest first, without workflow, source, results and error message, with chain counts.</summary>
    Task<Page<Submission>> ListAsync(int offset, int size, string? status, CancellationToken ct);

    /// <summary>Applies the non-null fields of <paramref name="update"/>; returns false if the submission is unknown.</summary>
    Task<bool> UpdateAsync(SubmissionUpdate update, CancellationToken ct);

    /// <summary>
    /// Sets the submission's priority and, in the same transaction, that of its chains that have not finished
    /// (REGISTERED, PAUSED, RUNNING), as Steep's <c>PUT /workflows/{id}</c> does; false if the submission is unknown.
    /// </summary>
    Task<bool> SetSubmissionPriorityAsync(string submissionId, int priority, CancellationToken ct);

    /// <summary>Ids of submissions with status ACCEPTED or RUNNING, oldest first.</summary>
    Task<IReadOnlyList<string>> ListUnfinishedIdsAsync(CancellationToken ct);

    /// <summary>In one transaction: appends the step's input to the journal and inserts the new chains as REGISTERED.</summary>
    Task CommitStepAsync(string submissionId, GeneratorStep step, IReadOnlyList<ProcessChain> newChains, CancellationToken ct);

    /// <summary>Replaces the submission's checkpoint and drops journal steps up to its step.</summary>
    Task SaveCheckpointAsync(string submissionId, GeneratorCheckpoint checkpoint, CancellationToken ct);

    /// <summary>The latest checkpoint, or null.</summary>
    Task<GeneratorCheckpoint?> GetCheckpointAsync(string submissionId, CancellationToken ct);

    /// <summary>Journal steps after <paramref name="afterStep"/>, in order.</summary>
    Task<IReadOnlyList<GeneratorStep>> GetStepsAsync(string submissionId, long afterStep, CancellationToken ct);
}
