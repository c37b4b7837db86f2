using Steep.Silo.Hosting;

namespace Steep.Silo.Tests;

/// <summary>
/// Silos started side by side in one process (as the cluster tests start two at once) each get a port of their own:
/// the kernel offers a port that was probed and let go again to the next prober, and two silos on one address make
/// Orleans declare one of them dead, which ends the process.
/// </summary>
public sealed class FreePortTests
{
    [Fact]
    public void The_ports_one_process_chooses_are_never_the_same()
    {
        // from 2,000 draws of a port that is let go at once, the kernel repeats some for certain (about 14,000 to choose
        // from); chosen from four threads at once, as concurrent host starts do
        var ports = new System.Collections.Concurrent.ConcurrentBag<int>();
        Parallel.For(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ => ports.Add(SteepHost.FreePort()));
        Assert.Equal(2000, ports.Distinct().Count());
    }
}
