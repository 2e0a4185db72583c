using Palisade.Server.Transport.Tls;
using Palisade.Server.Transport.Upstreams;
using Palisade.Server.Transport.Upstreams.Encrypted;

namespace Palisade.Server.Tests.Transport.Encrypted;

/// <summary>
/// <see cref="UpstreamTls.PinSuffices"/> (palisade query, as kdig +tls-pin): a pin alone vouches for a certificate whose
/// chain this machine does not trust, and only a matching one does; without it (serve's upstreams) the chain is needed.
/// </summary>
public sealed class UpstreamTlsPinTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public async Task Exchange_UntrustedChainAndAPin_AcceptedOnlyWhenThePinSufficesAndMatches(bool pinSuffices, bool matching)
    {
        await using var server = new ScriptedTlsServer(async (stream, cancellation) =>
        {
            if (await ScriptedTlsServer.ReadMessageAsync(stream, cancellation) is { } query)
            {
                await ScriptedTlsServer.WriteMessageAsync(stream, ScriptedTlsServer.AnswerTo(query), cancellation);
            }
        });
        string pin = matching ? CertificatePin.Of(server.Certificate) : "sha256/" + Convert.ToBase64String(new byte[32]);
        var upstream = TlsUpstreamTransportTests.Options(server) with { Pin = pin };

        // No trusted roots: the server's certificate is trusted by nothing on this machine.
        await using var transport = new TlsUpstreamTransport(upstream, bootstrap: null, new UpstreamTls(upstream) { PinSuffices = pinSuffices });
        using var timeout = new CancellationTokenSource(Bound);

        if (pinSuffices && matching)
        {
            (await transport.ExchangeAsync(TlsUpstreamTransportTests.Query("a.example", 1), timeout.Token)).Release();
            return;
        }

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => transport.ExchangeAsync(TlsUpstreamTransportTests.Query("a.example", 1), timeout.Token).AsTask());
        Assert.True(failure.IsLasting);
        Assert.Contains(pinSuffices ? $"its key does not match the pin {pin}" : "it is not trusted", failure.Message, StringComparison.Ordinal);
    }
}
