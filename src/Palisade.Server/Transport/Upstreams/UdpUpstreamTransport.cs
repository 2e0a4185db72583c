using System.Buffers;
using System.Net;
using System.Net.Sockets;

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

    /// <summary>Room for any UDP answer.</summary>
    private const int ReceiveBufferSize = 65535;

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
        using var grace = new CancellationTokenSource();
        using var receiving = CancellationTokenSource.CreateLinkedTokenSource(cancellation, grace.Token);
        bool graceStarted = false;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
        try
        {
            await socket.ConnectAsync(endPoint, cancellation).ConfigureAwait(false);
            await socket.SendAsync(query, SocketFlags.None, cancellation).ConfigureAwait(false);
            while (true)
            {
                int received;
                try
                {
                    received = await socket.ReceiveAsync(buffer, SocketFlags.None, receiving.Token).ConfigureAwait(false);
                }
                catch (SocketException exception) when (exception.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset)
                {
                    // ICMP port unreachable: nothing listens there.
                    throw new UpstreamException($"{endPoint} refused the query (ICMP port unreachable)", exception);
                }
                catch (OperationCanceledException) when (grace.IsCancellationRequested && !cancellation.IsCancellationRequested)
                {
                    return null;
                }

                var match = UpstreamQuery.Compare(query.Span, buffer.AsSpan(0, received));
                if (match == QuestionMatch.Exact || (match == QuestionMatch.CaseDiffers && !exactCase))
                {
                    var response = new UpstreamResponse(buffer, received);
                    buffer = null!;
                    return response;
                }

                if (match == QuestionMatch.CaseDiffers && !graceStarted)
                {
                    graceStarted = true;
                    grace.CancelAfter(CaseMismatchGrace);
                }
            }
        }
        catch (SocketException exception)
        {
            throw new UpstreamException($"{endPoint}: {exception.Message}", exception);
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
