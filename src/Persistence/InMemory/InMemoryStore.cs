using Steep.Core.Models;
using Steep.Persistence.Search;

namespace Steep.Persistence.InMemory;

/// <summary>Both stores in process memory, thread-safe; for tests and runs that need no durability.</summary>
/// <remarks>
/// One lock guards all state, so every operation is atomic and isolated like a database transaction (a step's chains
/// and its journal entry become visible together). Stored values are copied at the boundary so that callers cannot
/// change stored state through references they keep; model records are treated as immutable.
/// </remarks>
public sealed class InMemoryStore : ISubmissionStore, IProcessChainStore, IRegistrySearch
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SubmissionRow> _submissions = new(StringComparer.Ordinal);
    private readonly List<SubmissionRow> _submissionOrder = [];
    private readonly Dictionary<string, ChainRow> _chains = new(StringComparer.Ordinal);
    private readonly List<ChainRow> _chainOrder = [];
    // Per status, by sequence: ListByStatus (the scheduler's queue) must not scan finished chains.
    private readonly Dictionary<string, SortedDictionary<long, ChainRow>> _chainsByStatus = new(StringComparer.Ordinal);
    private long _nextChainSequence = 1;

    /// <inheritdoc />
    public Task AddAsync(Submission submission, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(submission);
        ct.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_submissions.ContainsKey(submission.Id))
                throw new InvalidOperationException($"A submission with id '{submission.Id}' exists already.");
            var row = new SubmissionRow(_submissionOrder.Count + 1L, Copy(submission));
            _submissions.Add(submission.Id, row);
            _submissionOrder.Add(row);
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    Task<Submission?> ISubmissionStore.GetAsync(string id, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_submissions.TryGetValue(id, out var row) ? WithCounts(row.Submission, row) : null);
        }
    }

    /// <inheritdoc />
    public Task<Submission?> GetSummaryAsync(string id, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_submissions.TryGetValue(id, out var row) ? WithCounts(Summary(row.Submission), row) : null);
        }
    }

    /// <inheritdoc />
    public Task<Page<KeyValuePair<string, IReadOnlyList<string>>>?> GetResultsAsync(string id, int offset, int size, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ct.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_submissions.TryGetValue(id, out var row)) return Task.FromResult<Page<KeyValuePair<string, IReadOnlyList<string>>>?>(null);
            var results = row.Submission.Results ?? new Dictionary<string, IReadOnlyList<string>>();
            return Task.FromResult<Page<KeyValuePair<string, IReadOnlyList<string>>>?>(
                new(results.Skip(offset).Take(size).ToList(), results.Count));
        }
    }

    /// <inheritdoc />
    public Task<Page<Submission>> ListAsync(int offset, int size, string? status, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ct.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var matching = Enumerable.Reverse(_submissionOrder).Where(r => status is null || r.Submission.Status == status).ToList();
            var items = matching.Skip(offset).Take(size)
                .Select(r => WithCounts(Summary(r.Submission) with { ErrorMessage = null }, r))
                .ToList();
            return Task.FromResult(new Page<Submission>(items, matching.Count));
        }
    }

    /// <inheritdoc />
    public Task<bool> UpdateAsync(SubmissionUpdate update, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(update);
        ct.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_submissions.TryGetValue(update.Id, out var row)) return Task.FromResult(false);
            var s = row.Submission;
            row.Submission = s with
            {
                Status = update.Status ?? s.Status,
                StartTime = update.StartTime ?? s.StartTime,
                EndTime = update.EndTime ?? s.EndTime,
                Results = update.Results is null ? s.Results : Copy(update.Results),
                ErrorMessage = update.ErrorMessage ?? s.ErrorMessage,
            };
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task<bool> SetSubmissionPriorityAsync(string submissionId, int priority, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_submissions.TryGetValue(submissionId, out var row)) return Task.FromResult(false);
            row.Submission = row.Submission with { Priority = priority };
            foreach (var chain in row.Chains)
            {
                if (chain.Status is ProcessChainStatus.Registered or ProcessChainStatus.Running or StoreStatuses.Paused)
                    chain.Priority = priority;
            }
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task<bool> SetProcessChainPriorityAsync(string processChainId, int priority, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_chains.TryGetValue(processChainId, out var row)) return Task.FromResult(false);
            row.Priority = priority;
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListUnfinishedIdsAsync(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<string> ids = _submissionOrder
                .Where(r => r.Submission.Status is SubmissionStatus.Accepted or SubmissionStatus.Running)
                .Select(r => r.Submission.Id)
                .ToList();
            return Task.FromResult(ids);
        }
    }

    /// <inheritdoc />
    public Task CommitStepAsync(string submissionId, GeneratorStep step, IReadOnlyList<ProcessChain> newChains, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(newChains);
        ct.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var row = RequireSubmission(submissionId);
            if (step.Step != row.LastStep + 1)
                throw new InvalidOperationException(
                    $"Generator step {step.Step} of submission '{submissionId}' does not follow step {row.LastStep}.");
            // Validate everything before changing anything: the step is all or nothing.
            var ids = new HashSet<string>(StringComparer.Ordinal);
            foreach (var chain in newChains)
            {
                if (_chains.ContainsKey(chain.Id) || !ids.Add(chain.Id))
                    throw new InvalidOperationException($"A process chain with id '{chain.Id}' exists already.");
            }

            row.LastStep = step.Step;
            row.Steps.Add(new GeneratorStep(step.Step, step.Input.ToArray()));
            foreach (var chain in newChains)
            {
                var stored = new ProcessChain
                {
                    Id = chain.Id,
                    Executables = chain.Executables.ToArray(),
                    SubmissionId = submissionId,
                    RequiredCapabilities = chain.RequiredCapabilities.ToArray(),
                    Priority = chain.Priority,
                };
                var chainRow = new ChainRow(stored, row, _nextChainSequence++) { Status = ProcessChainStatus.Registered };
                _chains.Add(chain.Id, chainRow);
                _chainOrder.Add(chainRow);
                row.Chains.Add(chainRow);
                AddToStatus(chainRow);
            }
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task SaveCheckpointAsync(string submissionId, GeneratorCheckpoint checkpoint, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ct.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var row = RequireSubmission(submissionId);
            if (checkpoint.Step > row.LastStep)
                throw new InvalidOperationException(
                    $"Checkpoint after step {checkpoint.Step} of submission '{submissionId}' is ahead of the journal (last step {row.LastStep}).");
            if (row.Checkpoint is { } old && old.Step > checkpoint.Step)
                throw new InvalidOperationException(
                    $"Checkpoint after step {checkpoint.Step} of submission '{submissionId}' is older than the stored one (step {old.Step}).");
            row.Checkpoint = new GeneratorCheckpoint(checkpoint.Step, checkpoint.State.ToArray());
            row.Steps.RemoveAll(s => s.Step <= checkpoint.Step);
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<GeneratorCheckpoint?> GetCheckpointAsync(string submissionId, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var checkpoint = _submissions.TryGetValue(submissionId, out var row) ? row.Checkpoint : null;
            return Task.FromResult(checkpoint is null ? null : new GeneratorCheckpoint(checkpoint.Step, checkpoint.State.ToArray()));
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<GeneratorStep>> GetStepsAsync(string submissionId, long afterStep, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<GeneratorStep> steps = _submissions.TryGetValue(submissionId, out var row)
                ? row.Steps.Where(s => s.Step > afterStep).Select(s => new GeneratorStep(s.Step, s.Input.ToArray())).ToList()
                : [];
            return Task.FromResult(steps);
        }
    }

    /// <inheritdoc />
    Task<StoredProcessChain?> IProcessChainStore.GetAsync(string id, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_chains.TryGetValue(id, out var row) ? row.ToStored() : null);
        }
    }

    /// <inheritdoc />
    public Task<Page<StoredProcessChain>> ListAsync(string? submissionId, string? status, int offset, int size, bool newestFirst, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ct.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyCollection<ChainRow> source;
            if (submissionId is not null)
            {
                source = _submissions.TryGetValue(submissionId, out var row) ? row.Chains : [];
                if (status is not null) source = source.Where(c => c.Status == status).ToList();
            }
            else if (status is not null)
            {
                source = _chainsByStatus.TryGetValue(status, out var byStatus) ? byStatus.Values : [];
            }
            else
            {
                source = _chainOrder;
            }
            var ordered = newestFirst ? source.Reverse() : source;
            var items = ordered.Skip(offset).Take(size).Select(c => c.ToStored()).ToList();
            return Task.FromResult(new Page<StoredProcessChain>(items, source.Count));
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredProcessChain>> ListBySubmissionAsync(string submissionId, string? status, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<StoredProcessChain> chains = _submissions.TryGetValue(submissionId, out var row)
                ? row.Chains.Where(c => status is null || c.Status == status).Select(c => c.ToStored()).ToList()
                : [];
            return Task.FromResult(chains);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredProcessChain>> ListByStatusAsync(string status, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<StoredProcessChain> chains = _chainsByStatus.TryGetValue(status, out var byStatus)
                ? byStatus.Values.Select(c => c.ToStored()).ToList()
                : [];
            return Task.FromResult(chains);
        }
    }

    /// <inheritdoc />
    public Task<bool> UpdateAsync(ProcessChainUpdate update, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(update);
        ct.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(Apply(update));
        }
    }

    /// <inheritdoc />
    public Task UpdateManyAsync(IReadOnlyList<ProcessChainUpdate> updates, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(updates);
        ct.ThrowIfCancellationRequested();
        lock (_gate)
        {
            foreach (var update in updates) Apply(update);
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, int>> CountByStatusAsync(string? submissionId, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            if (submissionId is null)
            {
                foreach (var (status, chains) in _chainsByStatus)
                {
                    if (chains.Count > 0) counts[status] = chains.Count;
                }
            }
            else if (_submissions.TryGetValue(submissionId, out var row))
            {
                foreach (var (status, n) in row.Counts)
                {
                    if (n > 0) counts[status] = n;
                }
            }
            return Task.FromResult<IReadOnlyDictionary<string, int>>(counts);
        }
    }

    private bool Apply(ProcessChainUpdate update)
    {
        if (!_chains.TryGetValue(update.Id, out var row)) return false;
        if (update.InRun is { } run && (row.Status != ProcessChainStatus.Running || row.RunNumber != run)) return false;
        if (update.Reset)
        {
            row.StartTime = null;
            row.EndTime = null;
            row.Results = null;
            row.ErrorMessage = null;
            row.AgentId = null;
        }
        if (update.Status is { } status && status != row.Status)
        {
            _chainsByStatus[row.Status].Remove(row.Sequence);
            row.Status = status;
            AddToStatus(row);
        }
        row.StartTime = update.StartTime ?? row.StartTime;
        row.EndTime = update.EndTime ?? row.EndTime;
        row.Results = update.Results is null ? row.Results : Copy(update.Results);
        row.ErrorMessage = update.ErrorMessage ?? row.ErrorMessage;
        row.AgentId = update.AgentId ?? row.AgentId;
        row.RunNumber = update.RunNumber ?? row.RunNumber;
        if (RunOutcome.Starts(update) && !row.Runs.Any(r => r.RunNumber == update.RunNumber))
        {
            row.Runs.Add(new ProcessChainRun(update.RunNumber!.Value, update.AgentId, update.StartTime, null, ProcessChainStatus.Running, null));
        }
        if (RunOutcome.Of(update) is { } end)
        {
            int open = row.Runs.FindIndex(r => r.Status == ProcessChainStatus.Running && (update.InRun is null || r.RunNumber == update.InRun));
            if (open >= 0)
            {
                row.Runs[open] = row.Runs[open] with
                {
                    EndTime = update.EndTime,
                    Status = end.Status,
                    ErrorMessage = end.ErrorMessage,
                };
            }
        }
        return true;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ProcessChainRun>> ListRunsAsync(string processChainId, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<ProcessChainRun> runs = _chains.TryGetValue(processChainId, out var row)
                ? row.Runs.OrderBy(r => r.RunNumber).ToList()
                : [];
            return Task.FromResult(runs);
        }
    }

    /// <inheritdoc />
    public Task<ProcessChainRun?> GetRunAsync(string processChainId, int runNumber, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_chains.TryGetValue(processChainId, out var row)
                ? row.Runs.FirstOrDefault(r => r.RunNumber == runNumber)
                : null);
        }
    }

    /// <inheritdoc />
    public Task<SearchResults> SearchAsync(SearchQuery query, int offset, int size, SearchCount counting, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ct.ThrowIfCancellationRequested();
        bool count = counting != SearchCount.None;
        lock (_gate)
        {
            // a scan: this store is for tests and small runs
            var workflows = Enumerable.Reverse(_submissionOrder)
                .Select(r => new SearchHit(SearchTypes.Workflow, r.Submission.Id, r.Submission.Name ?? r.Submission.Workflow?.Name,
                    r.Submission.Status, r.Submission.RequiredCapabilities, r.Submission.StartTime, r.Submission.EndTime,
                    r.Submission.ErrorMessage, r.Submission.Source))
                .Where(h => SearchMatcher.IsMatch(query, h));
            var chains = Enumerable.Reverse(_chainOrder)
                .Select(c => new SearchHit(SearchTypes.ProcessChain, c.Chain.Id, null, c.Status, c.Chain.RequiredCapabilities,
                    c.StartTime, c.EndTime, c.ErrorMessage, null))
                .Where(h => SearchMatcher.IsMatch(query, h));
            var all = workflows.Concat(chains);
            if (!count) return Task.FromResult(new SearchResults(all.Skip(offset).Take(size).ToList(), null, null));
            var matching = all.ToList();
            return Task.FromResult(new SearchResults(matching.Skip(offset).Take(size).ToList(),
                matching.Count(h => h.Type == SearchTypes.Workflow), matching.Count(h => h.Type == SearchTypes.ProcessChain)));
        }
    }

    private void AddToStatus(ChainRow row)
    {
        if (!_chainsByStatus.TryGetValue(row.Status, out var byStatus))
        {
            byStatus = [];
            _chainsByStatus.Add(row.Status, byStatus);
        }
        byStatus.Add(row.Sequence, row);
    }

    private SubmissionRow RequireSubmission(string submissionId) =>
        _submissions.TryGetValue(submissionId, out var row)
            ? row
            : throw new InvalidOperationException($"Unknown submission '{submissionId}'.");

    private static Submission WithCounts(Submission s, SubmissionRow row) => s with
    {
        RunningProcessChains = row.Count(ProcessChainStatus.Running),
        PausedProcessChains = row.Count(StoreStatuses.Paused),
        CancelledProcessChains = row.Count(ProcessChainStatus.Cancelled),
        SucceededProcessChains = row.Count(ProcessChainStatus.Success),
        FailedProcessChains = row.Count(ProcessChainStatus.Error),
        TotalProcessChains = row.Chains.Count,
    };

    // name and priority default to the workflow's: they are set explicitly, so they stay when the workflow is left out
    private static Submission Summary(Submission s) => s with
    {
        Name = s.Name, Priority = s.Priority, Workflow = null, Source = null, Results = null, ServiceMetadata = null,
    };

    private static Submission Copy(Submission s) => s with
    {
        RequiredCapabilities = s.RequiredCapabilities.ToArray(),
        Results = s.Results is null ? null : Copy(s.Results),
        // Counts are computed from the chains, never stored.
        RunningProcessChains = 0,
        PausedProcessChains = 0,
        CancelledProcessChains = 0,
        SucceededProcessChains = 0,
        FailedProcessChains = 0,
        TotalProcessChains = 0,
    };

    private static Dictionary<string, IReadOnlyList<string>> Copy(IReadOnlyDictionary<string, IReadOnlyList<string>> results) =>
        results.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value.ToArray(), StringComparer.Ordinal);

    private sealed class SubmissionRow(long sequence, Submission submission)
    {
        public long Sequence { get; } = sequence;
        public Submission Submission { get; set; } = submission;
        public long LastStep { get; set; }
        public List<GeneratorStep> Steps { get; } = [];
        public GeneratorCheckpoint? Checkpoint { get; set; }
        public List<ChainRow> Chains { get; } = [];
        public Dictionary<string, int> Counts { get; } = new(StringComparer.Ordinal);

        public int Count(string status) => Counts.GetValueOrDefault(status);
    }

    private sealed class ChainRow(ProcessChain chain, SubmissionRow submission, long sequence)
    {
        private string _status = "";

        public ProcessChain Chain { get; } = chain;
        public int? Priority { get; set; } = chain.Priority;
        public long Sequence { get; } = sequence;

        public string Status
        {
            get => _status;
            set
            {
                // The submission's counts follow every status change, so reading them is O(1).
                if (_status.Length > 0) submission.Counts[_status]--;
                _status = value;
                submission.Counts[value] = submission.Count(value) + 1;
            }
        }

        public DateTimeOffset? StartTime { get; set; }
        public DateTimeOffset? EndTime { get; set; }
        public IReadOnlyDictionary<string, IReadOnlyList<string>>? Results { get; set; }
        public string? ErrorMessage { get; set; }
        public string? AgentId { get; set; }
        public int RunNumber { get; set; }
        public List<ProcessChainRun> Runs { get; } = [];

        public StoredProcessChain ToStored() => new(
            Chain with
            {
                Status = Status,
                Priority = Priority,
                StartTime = StartTime,
                EndTime = EndTime,
                Results = Results is null ? null : Copy(Results),
                ErrorMessage = ErrorMessage,
            },
            AgentId,
            RunNumber,
            Sequence);
    }
}
