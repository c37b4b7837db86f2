namespace Steep.Cluster.Tests.Support;

/// <summary>Silos <c>a</c> and <c>b</c> of one cluster in this process, each counting both as active; disposing stops both.</summary>
public sealed class TwoSilos : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private TwoSilos(TestSilo a, TestSilo b)
    {
        A = a;
        B = b;
    }

    /// <summary>Silo <c>a</c>, started first.</summary>
    public TestSilo A { get; }

    /// <summary>Silo <c>b</c>.</summary>
    public TestSilo B { get; }

    /// <summary>Starts <c>a</c>, then <c>b</c>, and returns once each counts two active silos.</summary>
    public static async Task<TwoSilos> StartAsync(string postgres, string clusterId)
    {
        var a = await TestSilo.StartAsync(TestSilo.Settings(postgres, clusterId, "a"));
        TestSilo? b = null;
        try
        {
            b = await TestSilo.StartAsync(TestSilo.Settings(postgres, clusterId, "b"));
            await ClusterApi.WaitUntil(async () => (await a.ActiveSilosAsync()).Count == 2 && (await b.ActiveSilosAsync()).Count == 2,
                Patience, "both silos see two active silos");
            return new TwoSilos(a, b);
        }
        catch
        {
            if (b is not null) await b.DisposeAsync();
            await a.DisposeAsync();
            throw;
        }
    }

    /// <summary>Both silos, for <c>var (a, b) = silos;</c>.</summary>
    public void Deconstruct(out TestSilo a, out TestSilo b) => (a, b) = (A, B);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await B.DisposeAsync();
        await A.DisposeAsync();
    }
}
