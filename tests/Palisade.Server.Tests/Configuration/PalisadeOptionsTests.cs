using Palisade.Server.Configuration;

namespace Palisade.Server.Tests.Configuration;

public sealed class PalisadeOptionsTests
{
    [Fact]
    public void Defaults_AreTheDocumentedOnes()
    {
        var options = new PalisadeOptions();
        Assert.Equal(["0.0.0.0:53", "[::]:53"], options.Listen.Select(e => e.ToString()));
        Assert.Equal(UpstreamStrategy.Fastest, options.UpstreamStrategy);
        Assert.Equal(TimeSpan.FromSeconds(3), options.UpstreamTimeout);
        Assert.Equal(200_000_000, options.Cache.MaxSize);
        Assert.True(options.Cache.ServeStale);
    }
}
