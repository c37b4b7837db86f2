using System.Net.Sockets;
using Npgsql;

namespace Steep.Persistence.Postgres;

/// <summary>
/// How the registry rides out a database that is briefly unreachable (a restart, a fail-over, a dropped connection):
/// a call that fails with a transient error is tried again, with growing pauses, until it succeeds or
/// <see cref="Budget"/> has passed since its first try; only then does the error reach the caller.
/// </summary>
/// <remarks>
/// Retrying a write is safe for the registry's writes: a transient error either came before the statement reached the
/// server (nothing done), or aborted its transaction (nothing done), or cut the connection while the commit's answer
/// was on its way, in which case the write may have been applied. Status and field updates write values, so applying one
/// twice changes nothing; the two inserts (a submission, a generator step) recognise their own earlier success on a
/// retry (<c>retried</c> is passed to them).
/// </remarks>
public sealed class PostgresRetry
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(2);

    /// <summary>The default: long enough for a server restart or a managed database's fail-over, short enough to report a database that is gone.</summary>
    public static PostgresRetry Default { get; } = new(TimeSpan.FromMinutes(2));

    /// <summary>Creates a policy that keeps trying for <paramref name="budget"/> (zero: one try only).</summary>
    public PostgresRetry(TimeSpan budget)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(budget, TimeSpan.Zero);
        Budget = budget;
    }

    /// <summary>How long after its first try a call may still be tried again.</summary>
    public TimeSpan Budget { get; }

    /// <summary>
    /// Runs <paramref name="call"/> (given whether an earlier try failed with a transient error) until it does not
    /// fail with one, or the budget is spent.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<bool, Task<T>> call, TimeProvider clock, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        long started = clock.GetTimestamp();
        var pause = FirstPause;
        for (bool retried = false; ; retried = true)
        {
            try
            {
                return await call(retried).ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransient(e) && !ct.IsCancellationRequested && clock.GetElapsedTime(started) + pause < Budget)
            {
                // jitter: the silos that lost the database together do not all come back at the same moment
                await Task.Delay(pause * (0.5 + Random.Shared.NextDouble() / 2), clock, ct).ConfigureAwait(false);
                pause = pause * 2 < LongestPause ? pause * 2 : LongestPause;
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="e"/> says the database could not be reached or dropped the session, rather than that the
    /// statement is wrong: connection failures and time-outs, and the server shutting down, starting up or out of
    /// connection slots.
    /// </summary>
    public static bool IsTransient(Exception e) => e switch
    {
        PostgresException p => p.SqlState switch
        {
            "57P01" or "57P02" or "57P03" => true, // admin shutdown, crash shutdown, cannot connect now (starting up)
            "53300" => true, // too many connections
            _ => p.SqlState.StartsWith("08", StringComparison.Ordinal), // connection exceptions
        },
        NpgsqlException n => n.IsTransient || n.InnerException is IOException or SocketException or TimeoutException,
        // a pooled connection whose socket the server closed
        InvalidOperationException { InnerException: NpgsqlException inner } => IsTransient(inner),
        _ => false,
    };
}
