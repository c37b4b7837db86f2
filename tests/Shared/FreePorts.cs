using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Steep.Tests.Shared;

/// <summary>
/// Loopback ports for the servers and silos tests start: free when chosen, and never one this test process chose
/// before. Tests that run side by side probe before either binds, and the kernel offers a port that was probed and let
/// go to the next prober: two servers on one port (for silos, Orleans declares one of them dead).
/// </summary>
public static class FreePorts
{
    private static readonly ConcurrentDictionary<int, byte> Chosen = new();

    /// <summary>A port free on 127.0.0.1 now that no earlier call returned.</summary>
    public static int Next()
    {
        while (true)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            int port = ((IPEndPoint)socket.LocalEndPoint!).Port;
            if (Chosen.TryAdd(port, 0)) return port;
        }
    }
}
