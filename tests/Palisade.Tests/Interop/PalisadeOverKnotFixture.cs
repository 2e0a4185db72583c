namespace Palisade.Tests.Interop;

/// <summary>
/// A Knot serving example.test. and one <c>palisade serve</c> forwarding to it over UDP, shared by a test class. Palisade's
/// cache is shared too, so tests that depend on an empty cache start their own <see cref="PalisadeServer"/> against
/// <see cref="Knot"/>.
/// </summary>
public sealed class PalisadeOverKnotFixture : IAsyncLifetime
{
    private KnotFixture? _knot;
    private PalisadeServer? _server;

    public KnotFixture Knot => _knot ?? throw new InvalidOperationException("the fixture is not initialized");

    public PalisadeServer Server => _server ?? throw new InvalidOperationException("the fixture is not initialized");

    /// <summary>Options that point a new palisade at <see cref="Knot"/>.</summary>
    public PalisadeServerOptions ServerOptions => new() { Upstreams = [Knot.UdpUpstream] };

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        _knot = await KnotFixture.StartAsync();
        _server = await PalisadeServer.StartAsync(ServerOptions);
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }

        if (_knot is not null)
        {
            await _knot.DisposeAsync();
            _knot = null;
        }
    }
}
