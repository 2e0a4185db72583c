using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Palisade.Server.Transport.Listeners;

/// <summary>
/// Linux's <c>recvmmsg</c>/<c>sendmmsg</c> for one receive thread: up to <see cref="Capacity"/> datagrams taken from
/// the socket in one system call, and the answers ready at once sent back in one more. Under load, when datagrams wait
/// in the socket's queue, this saves most of the per-datagram system calls; when they come one at a time it costs the
/// same as <c>recvfrom</c>/<c>sendto</c>. The buffers are native memory owned by the batch (one thread, not shared).
/// </summary>
internal sealed unsafe partial class DatagramBatch : IDisposable
{
    /// <summary>Datagrams taken per call.</summary>
    public const int Capacity = 32;

    /// <summary>Room for the largest datagram.</summary>
    private const int DatagramSize = 65535;

    /// <summary>Room for an answer sent in a batch; a larger one (there are none over UDP, which is cut to 1232) is sent alone.</summary>
    private const int AnswerSize = 4096;

    /// <summary>sockaddr_storage.</summary>
    private const int AddressSize = 128;

    /// <summary>recvmmsg flag: block for the first datagram only, then take what is already queued.</summary>
    private const int MsgWaitForOne = 0x10000;

    /// <summary>msg_flags: the datagram was longer than the buffer.</summary>
    private const int MsgTrunc = 0x20;

    private const int EIntr = 4;

    private readonly int _fd;
    private readonly byte* _datagrams;
    private readonly byte* _answers;
    private readonly byte* _addresses;
    private readonly IoVector* _vectors;
    private readonly MultiMessageHeader* _headers;
    private readonly MultiMessageHeader* _sendHeaders;
    private readonly IoVector* _sendVectors;
    private readonly int[] _answerLengths = new int[Capacity];
    private int _received;

    public DatagramBatch(SafeSocketHandle socket)
    {
        _fd = (int)socket.DangerousGetHandle();
        _datagrams = (byte*)NativeMemory.Alloc((nuint)(Capacity * DatagramSize));
        _answers = (byte*)NativeMemory.Alloc((nuint)(Capacity * AnswerSize));
        _addresses = (byte*)NativeMemory.AllocZeroed((nuint)(Capacity * AddressSize));
        _vectors = (IoVector*)NativeMemory.AllocZeroed((nuint)(Capacity * sizeof(IoVector)));
        _headers = (MultiMessageHeader*)NativeMemory.AllocZeroed((nuint)(Capacity * sizeof(MultiMessageHeader)));
        _sendVectors = (IoVector*)NativeMemory.AllocZeroed((nuint)(Capacity * sizeof(IoVector)));
        _sendHeaders = (MultiMessageHeader*)NativeMemory.AllocZeroed((nuint)(Capacity * sizeof(MultiMessageHeader)));
    }

    /// <summary>The datagrams taken by the last <see cref="Receive"/>.</summary>
    public int Count => _received;

    /// <summary>
    /// Blocks until at least one datagram is queued (or the socket's receive timeout passes, or it is shut down), then
    /// takes up to <see cref="Capacity"/>. Any answers still queued by <see cref="TryQueueAnswer"/> must have been sent.
    /// </summary>
    /// <returns>False on a timeout, an interrupted call, a shut down socket or an ICMP error surfacing here: the caller
    /// checks whether it is stopping and calls again.</returns>
    public bool Receive()
    {
        for (int i = 0; i < Capacity; i++)
        {
            _vectors[i] = new IoVector { Base = _datagrams + (i * DatagramSize), Length = DatagramSize };
            _headers[i] = new MultiMessageHeader
            {
                Header = new MessageHeader { Name = _addresses + (i * AddressSize), NameLength = AddressSize, Vectors = _vectors + i, VectorCount = 1 },
            };
            _answerLengths[i] = 0;
        }

        int received = RecvMMsg(_fd, _headers, Capacity, MsgWaitForOne, null);
        _received = Math.Max(received, 0);
        return received > 0;
    }

    /// <summary>Datagram <paramref name="index"/>, or empty when it was cut short (longer than any DNS message).</summary>
    public ReadOnlySpan<byte> Datagram(int index) =>
        (_headers[index].Header.Flags & MsgTrunc) != 0
            ? default
            : new ReadOnlySpan<byte>(_datagrams + (index * DatagramSize), (int)_headers[index].Length);

    /// <summary>Copies the sender of datagram <paramref name="index"/> into <paramref name="address"/>.</summary>
    public void CopySender(int index, SocketAddress address)
    {
        int length = (int)Math.Min(_headers[index].Header.NameLength, (uint)address.Buffer.Length);
        new ReadOnlySpan<byte>(_addresses + (index * AddressSize), length).CopyTo(address.Buffer.Span);
        address.Size = length;
    }

    /// <summary>Queues the answer to datagram <paramref name="index"/> for <see cref="SendQueued"/>.</summary>
    /// <returns>False when it is too large for the batch: send it alone.</returns>
    public bool TryQueueAnswer(int index, ReadOnlySpan<byte> answer)
    {
        if (answer.Length > AnswerSize)
        {
            return false;
        }

        answer.CopyTo(new Span<byte>(_answers + (index * AnswerSize), AnswerSize));
        _answerLengths[index] = answer.Length;
        return true;
    }

    /// <summary>Sends every queued answer to the sender of its datagram, in as few system calls as it takes.</summary>
    public void SendQueued()
    {
        int count = 0;
        for (int i = 0; i < _received; i++)
        {
            if (_answerLengths[i] == 0)
            {
                continue;
            }

            _sendVectors[count] = new IoVector { Base = _answers + (i * AnswerSize), Length = (nuint)_answerLengths[i] };
            _sendHeaders[count] = new MultiMessageHeader
            {
                Header = new MessageHeader { Name = _addresses + (i * AddressSize), NameLength = _headers[i].Header.NameLength, Vectors = _sendVectors + count, VectorCount = 1 },
            };
            count++;
        }

        int sent = 0;
        while (sent < count)
        {
            int result = SendMMsg(_fd, _sendHeaders + sent, (uint)(count - sent), 0);
            if (result > 0)
            {
                sent += result;
            }
            else if (result < 0 && Marshal.GetLastPInvokeError() == EIntr)
            {
                continue;
            }
            else
            {
                // The first of the rest could not be sent (its client unreachable, say): that is its client's problem,
                // the others still go.
                sent++;
            }
        }
    }

    public void Dispose()
    {
        NativeMemory.Free(_datagrams);
        NativeMemory.Free(_answers);
        NativeMemory.Free(_addresses);
        NativeMemory.Free(_vectors);
        NativeMemory.Free(_headers);
        NativeMemory.Free(_sendVectors);
        NativeMemory.Free(_sendHeaders);
    }

    [LibraryImport("libc", EntryPoint = "recvmmsg", SetLastError = true)]
    private static partial int RecvMMsg(int fd, MultiMessageHeader* messages, uint count, int flags, void* timeout);

    [LibraryImport("libc", EntryPoint = "sendmmsg", SetLastError = true)]
    private static partial int SendMMsg(int fd, MultiMessageHeader* messages, uint count, int flags);

    /// <summary>struct iovec.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct IoVector
    {
        public byte* Base;
        public nuint Length;
    }

    /// <summary>struct msghdr (LP64 layout).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct MessageHeader
    {
        public byte* Name;
        public uint NameLength;
        public IoVector* Vectors;
        public nuint VectorCount;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    /// <summary>struct mmsghdr.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct MultiMessageHeader
    {
        public MessageHeader Header;
        public uint Length;
    }
}
