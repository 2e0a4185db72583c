using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Palisade.Protocol;

namespace Palisade.Server.Transport.Upstreams;

/// <summary>
/// DNS over UDP to one upstream. Every query gets its own socket, so its source port is a fresh one chosen at random by
/// the kernel (RFC 5452 s9.2); the socket is connected, so the kernel drops datagrams from any other address, and
/// datagrams whose ID or question do not match are ignored while waiting (RFC 5452 s9.1).
/// </summary>
/// <remarks>
/// Given a <see cref="CaseEchoDetector"/>, the transport also uses DNS 0x20: the letter case of the query's name is
/// randomised (in a copy: the caller's query is left alone, and each exchange compares against the bytes it sent),
/// and only an answer whose name matches octet for octet is accepted. An answer that differs only in case may be a
/// spoof, or the upstream may not echo case. Accepting it would give 0x20 away to a spoofer; ignoring it until the
/// timeout would make every query to such an upstream fail until it is detected. So the transport keeps waiting
/// <see cref="CaseMismatchGrace"/> for a case-exact answer (a spoof is normally followed by the real answer, which then
/// wins and the mismatch is not counted); if none comes, it counts the mismatch and asks once more, from a fresh socket
/// (new port) with a new ID and the name in the client's case, accepting any case: exactly what it does without 0x20.
/// After <see cref="CaseEchoDetector.MismatchesBeforeExempt"/> such mismatches in a row the upstream is exempt and is
/// asked that way from the start.
/// </remarks>
public sealed class UdpUpstreamTransport(IPEndPoint endPoint, CaseEchoDetector? caseEcho = null) : IUpstreamTransport
{
    /// <summary>How long to keep waiting for a case-exact answer after one in another case.</summary>
    public static readonly TimeSpan CaseMismatchGrace = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Room for a UDP answer: we advertise 1232 octets (RFC 9715), so an upstream that keeps to it never comes near; one
    /// that ignores it still fits up to the 4096 octets of older EDNS defaults. A larger datagram is an upstream error.
    /// Not 64 KB: every query waiting upstream holds its buffer, and thousands of them can wait at once.
    /// </summary>
    private const int ReceiveBufferSize = 4096;

    public async ValueTask<UpstreamResponse> ExchangeAsync(ReadOnlyMemory<byte> query, CancellationToken cancellation)
    {
        if (caseEcho is null || !caseEcho.Randomizes)
        {
            return (await ExchangeOnceAsync(query, exactCase: false, cancellation).ConfigureAwait(false))!.Value;
        }

        byte[] randomized = ArrayPool<byte>.Shared.Rent(query.Length);
        try
        {
            query.Span.CopyTo(randomized);
            UpstreamQuery.RandomizeCase(randomized.AsSpan(0, query.Length));
            var response = await ExchangeOnceAsync(randomized.AsMemory(0, query.Length), exactCase: true, cancellation).ConfigureAwait(false);
            if (response is { } exact)
            {
                caseEcho.RecordEcho();
                return exact;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(randomized);
        }

        caseEcho.RecordMismatch();
        byte[] retry = query.ToArray();
        UpstreamQuery.Renumber(retry);
        return (await ExchangeOnceAsync(retry, exactCase: false, cancellation).ConfigureAwait(false))!.Value;
    }

    /// <returns>The answer; null when <paramref name="exactCase"/> is set and only answers in another letter case came
    /// within <see cref="CaseMismatchGrace"/> of the first of them.</returns>
    private async ValueTask<UpstreamResponse?> ExchangeOnceAsync(ReadOnlyMemory<byte> query, bool exactCase, CancellationToken cancellation)
    {
        using var socket = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        CancellationTokenSource? grace = null;
        CancellationTokenSource? receiving = null;
        var token = cancellation;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferSize + 1);
        try
        {
            // Connecting a UDP socket and sending one datagram never wait, so they are made directly; only the receive
            // is asynchronous (it is what registers the socket with the event loop).
            socket.Connect(endPoint);
            socket.Send(query.Span, SocketFlags.None);
            while (true)
            {
                int received;
                try
                {
                    // One octet more than allowed: a datagram that fills it is too large (the kernel cuts a datagram
                    // to the buffer without saying so here).
                    received = await socket.ReceiveAsync(buffer.AsMemory(0, ReceiveBufferSize + 1), SocketFlags.None, token).ConfigureAwait(false);
                }
                catch (SocketException exception) when (exception.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset)
                {
                    // ICMP port unreachable: nothing listens there.
                    throw new UpstreamException($"{endPoint} refused the query (ICMP port unreachable)", exception);
                }
                catch (OperationCanceledException) when (grace is { IsCancellationRequested: true } && !cancellation.IsCancellationRequested)
                {
                    return null;
                }

                if (received > ReceiveBufferSize)
                {
                    throw new UpstreamException($"{endPoint} sent a UDP answer larger than {ReceiveBufferSize} octets, although {DnsConstants.AdvertisedUdpPayloadSize} were advertised");
                }

                var match = UpstreamQuery.Compare(query.Span, buffer.AsSpan(0, received));
                if (match == QuestionMatch.Exact || (match == QuestionMatch.CaseDiffers && !exactCase))
                {
                    var response = new UpstreamResponse(buffer, received);
                    buffer = null!;
                    return response;
                }

                if (match == QuestionMatch.CaseDiffers && grace is null)
                {
                    // Made only when needed: most exchanges never see an answer in the wrong case.
                    grace = new CancellationTokenSource(CaseMismatchGrace);
                    receiving = CancellationTokenSource.CreateLinkedTokenSource(cancellation, grace.Token);
                    token = receiving.Token;
                }
            }
        }
        catch (SocketException exception)
        {
            throw new UpstreamException($"{endPoint}: {exception.Message}", exception);
        }
        finally
        {
            receiving?.Dispose();
            grace?.Dispose();
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
