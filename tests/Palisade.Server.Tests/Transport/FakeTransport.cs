using System.Buffers;
using System.Net;
using Palisade.Protocol;
using Palisade.Server.Transport.Upstreams;

namespace Palisade.Server.Tests.Transport;

/// <summary>A hand-written upstream transport: answers with an A record, a given RCODE, throws, or never answers.</summary>
internal sealed class FakeTransport(FakeTransport.Behaviour behaviour, string address = "192.0.2.1") : IUpstreamTransport
{
    public enum Behaviour
    {
        Answer,
        ServerFailure,
        Refused,
        Unreachable,
        Silent,
    }

    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public Behaviour Mode { get; set; } = behaviour;

    /// <summary>Completes the silent exchanges in flight (when a test wants an answer to arrive late).</summary>
    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask<UpstreamResponse> ExchangeAsync(ReadOnlyMemory<byte> query, CancellationToken cancellation)
    {
        Interlocked.Increment(ref _calls);
        switch (Mode)
        {
            case Behaviour.Unreachable:
                throw new UpstreamException("unreachable (fake)");
            case Behaviour.Silent:
                await Release.Task.WaitAsync(cancellation).ConfigureAwait(false);
                break;
        }

        var request = DnsMessage.Parse(query.Span);
        var response = DnsResponseFactory.CreateResponse(request, Mode switch
        {
            Behaviour.ServerFailure => DnsResponseCode.ServerFailure,
            Behaviour.Refused => DnsResponseCode.Refused,
            _ => DnsResponseCode.NoError,
        });
        if (Mode is Behaviour.Answer or Behaviour.Silent)
        {
            response.Answers.Add(new DnsResourceRecord(request.Questions[0].Name, 300, new ARecordData(IPAddress.Parse(address))));
        }

        byte[] wire = response.ToArray();
        byte[] buffer = ArrayPool<byte>.Shared.Rent(wire.Length);
        wire.CopyTo(buffer, 0);
        return new UpstreamResponse(buffer, wire.Length);
    }
}
