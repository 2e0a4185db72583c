// The ceiling for the whole-server benchmark (bench/server/run.sh): a UDP responder that does the least a
// DNS server can do, sending each datagram back to its sender with the QR bit set. It parses nothing,
// keeps nothing and allocates nothing per datagram, so what dnsperf measures against it is the cost of the
// kernel's UDP path and of dnsperf itself.
//
//   echo-responder [--listen 127.0.0.1:PORT] [--threads N]
//
// Each thread runs a blocking receive loop on the same socket. It runs until SIGINT or SIGTERM.
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

var listen = IPEndPoint.Parse("127.0.0.1:5399");
var threads = Environment.ProcessorCount;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--listen" when i + 1 < args.Length:
            listen = IPEndPoint.Parse(args[++i]);
            break;
        case "--threads" when i + 1 < args.Length:
            threads = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        default:
            await Console.Error.WriteLineAsync("usage: echo-responder [--listen ADDR:PORT] [--threads N]").ConfigureAwait(false);
            return 2;
    }
}

using var socket = new Socket(listen.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
socket.ReceiveBufferSize = 4 << 20;
socket.SendBufferSize = 4 << 20;
socket.Bind(listen);

using var stop = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

var loops = new Thread[threads];
for (var i = 0; i < loops.Length; i++)
{
    loops[i] = new Thread(() => EchoLoop(socket, listen.AddressFamily)) { IsBackground = true, Name = $"echo-{i}" };
    loops[i].Start();
}

Console.WriteLine($"echo-responder listening on {listen} (UDP) with {threads} threads");
stop.Token.WaitHandle.WaitOne();
return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}

static void EchoLoop(Socket socket, AddressFamily family)
{
    var buffer = new byte[65536];
    var peer = new SocketAddress(family);
    while (true)
    {
        int length;
        try
        {
            length = socket.ReceiveFrom(buffer, SocketFlags.None, peer);
        }
        catch (SocketException)
        {
            continue;
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        if (length < 12 || (buffer[2] & 0x80) != 0)
        {
            continue;   // not a DNS header, or already a response: never answer those
        }

        buffer[2] |= 0x80;
        try
        {
            socket.SendTo(buffer.AsSpan(0, length), SocketFlags.None, peer);
        }
        catch (SocketException)
        {
            // The client went away (ICMP port unreachable) or the send buffer is full; drop, as a server would.
        }
    }
}
