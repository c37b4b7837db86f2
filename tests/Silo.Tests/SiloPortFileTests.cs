using System.Net;
using System.Net.Sockets;
using Steep.Silo.Hosting;
using Steep.Tests.Shared;

namespace Steep.Silo.Tests;

/// <summary>A cluster silo restarted on its data directory takes the silo port it had, so that Orleans retires its old entry at once.</summary>
public sealed class SiloPortFileTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "steep-siloport-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_data)) Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public void A_restarted_silo_takes_its_earlier_port_again()
    {
        int first = SiloPortFile.Choose(_data, FreePorts.Next, IsFree);
        int again = SiloPortFile.Choose(_data, () => throw new InvalidOperationException("a new port was chosen"), IsFree);
        Assert.Equal(first, again);
        Assert.Equal(first.ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadAllText(Path.Combine(_data, SiloPortFile.FileName)).Trim());
    }

    [Fact]
    public void A_port_taken_meanwhile_is_replaced_and_the_new_one_remembered()
    {
        int first = SiloPortFile.Choose(_data, FreePorts.Next, IsFree);
        using var taken = new TcpListener(IPAddress.Loopback, first);
        taken.Start();
        int second = SiloPortFile.Choose(_data, FreePorts.Next, IsFree);
        Assert.NotEqual(first, second);
        taken.Stop();
        Assert.Equal(second, SiloPortFile.Choose(_data, FreePorts.Next, _ => true));
    }

    [Fact]
    public void A_damaged_file_is_replaced()
    {
        Directory.CreateDirectory(_data);
        File.WriteAllText(Path.Combine(_data, SiloPortFile.FileName), "not a port");
        int port = SiloPortFile.Choose(_data, () => 40123, _ => true);
        Assert.Equal(40123, port);
        Assert.Equal(40123, SiloPortFile.Choose(_data, () => 1, _ => true));
    }


    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
