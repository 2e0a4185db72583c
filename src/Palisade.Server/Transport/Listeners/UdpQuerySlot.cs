using System.Net;
using System.Net.Sockets;
using Palisade.Server.Pipeline;

namespace Palisade.Server.Transport.Listeners;

/// <summary>
/// What one UDP query needs from datagram to answer: its context, and the address the datagram came from (where the
/// answer goes). A receive thread fills the same slot again and again while answers are immediate, and hands it to the
/// query when the query has to wait.
/// </summary>
internal sealed class UdpQuerySlot(AddressFamily family)
{
    public QueryContext Context { get; } = new();

    /// <summary>Filled by <c>recvfrom</c>; the answer is sent to it.</summary>
    public SocketAddress Peer { get; } = new(family);

    /// <summary>The batch the datagram came in (Linux; null when datagrams are taken one at a time), and its place there.</summary>
    public DatagramBatch? Batch { get; set; }

    public int BatchIndex { get; set; }

    /// <summary>The receive thread while it is dispatching this slot's query, else 0: an answer given then joins the batch.</summary>
    public int InlineThread { get; set; }
}
