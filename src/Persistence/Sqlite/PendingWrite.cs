namespace Steep.Persistence.Sqlite;

/// <summary>A write waiting for the writer connection: run inside a transaction, then completed after the commit.</summary>
internal abstract class PendingWrite(CancellationToken ct)
{
    /// <summary>The caller's token: a write cancelled before it ran is dropped.</summary>
    public CancellationToken Token { get; } = ct;

    /// <summary>Makes the changes (inside the writer's open transaction) and keeps the result until the commit.</summary>
    public abstract Task RunAsync(WriterStatements statements);

    /// <summary>The transaction holding the changes committed.</summary>
    public abstract void Committed();

    /// <summary>The write failed or was cancelled; its changes are not in the store.</summary>
    public abstract void Fail(Exception error);
}

/// <summary>A <see cref="PendingWrite"/> with a result.</summary>
internal sealed class PendingWrite<T>(Func<WriterStatements, CancellationToken, Task<T>> write, CancellationToken ct) : PendingWrite(ct)
{
    private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;

    /// <summary>Completes after the commit.</summary>
    public Task<T> Task => _done.Task;

    /// <inheritdoc />
    public override async Task RunAsync(WriterStatements statements) => _result = await write(statements, Token).ConfigureAwait(false);

    /// <inheritdoc />
    public override void Committed() => _done.TrySetResult(_result!);

    /// <inheritdoc />
    public override void Fail(Exception error)
    {
        if (error is OperationCanceledException && Token.IsCancellationRequested) _done.TrySetCanceled(Token);
        else _done.TrySetException(error);
    }
}
