using System.Net;
using System.Net.Sockets;

namespace Pipeline.Cli.Rehearsal;

public static class LoopbackPorts
{
    /// <summary>A port nothing listens on right now (the OS picks it), for a process started next.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
