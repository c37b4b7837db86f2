using Steep.Grains.Runtime;

namespace Steep.Grains.Tests.TestGrains;

/// <summary>One end of an awaited call cycle (with <see cref="CycleBGrain"/>).</summary>
internal sealed class CycleAGrain : Grain
{
    public Task<string> CallB() => GetGrain<CycleBGrain>(Id.Key).CallAsync(b => b.CallA());

    public Task<string> CallSelf() => GetGrain<CycleAGrain>(Id.Key).CallAsync(a => a.Hello());

    public Task<string> CallBThenC() => GetGrain<CycleBGrain>(Id.Key).CallAsync(b => b.CallC());

    public Task TellB(TaskCompletionSource<string> result)
    {
        // B runs its turn after this one ended (or while it still runs): either way A does not wait for B
        GetGrain<CycleBGrain>(Id.Key).Tell(async b =>
        {
            try { result.TrySetResult(await b.CallA()); }
            catch (Exception ex) { result.TrySetException(ex); }
        });
        return Task.CompletedTask;
    }

    public Task<string> Hello() => Task.FromResult("hello from A");
}
