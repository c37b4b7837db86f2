namespace Steep.Persistence.Postgres;

/// <summary>A chain update waiting for the next group transaction; completed after that transaction's commit.</summary>
internal sealed class PendingUpdate(ProcessChainUpdate update, CancellationToken ct)
{
    private readonly TaskCompletionSource<bool> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The change to make.</summary>
    public ProcessChainUpdate Update { get; } = update;

    /// <summary>The caller's token: an update cancelled before its group runs is dropped.</summary>
    public CancellationToken Token { get; } = ct;

    /// <summary>Whether the chain exists; completes after the commit.</summary>
    public Task<bool> Task => _done.Task;

    /// <summary>Cancels the update if its caller asked to; true when it did.</summary>
    public bool CancelIfRequested() => Token.IsCancellationRequested && _done.TrySetCanceled(Token);

    /// <summary>The transaction holding the change committed.</summary>
    public void Committed(bool found) => _done.TrySetResult(found);

    /// <summary>The update failed or was cancelled; it is not in the store.</summary>
    public void Fail(Exception error)
    {
        if (error is OperationCanceledException && Token.IsCancellationRequested) _done.TrySetCanceled(Token);
        else _done.TrySetException(error);
    }
}
