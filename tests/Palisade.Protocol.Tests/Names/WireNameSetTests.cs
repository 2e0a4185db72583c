namespace Palisade.Protocol.Tests.Names;

public sealed class WireNameSetTests
{
    [Fact]
    public void TryAdd_NamesInAnyCase_HeldInLowerCaseOnceEach()
    {
        var set = new WireNameSet(new byte[3 * WireNameSet.SlotSize]);

        Assert.True(set.TryAdd(Wire("WWW.Example.com")));
        Assert.False(set.TryAdd(Wire("www.EXAMPLE.com")));
        Assert.True(set.TryAdd(Wire(".")));

        Assert.Equal(2, set.Count);
        Assert.Equal(Wire("www.example.com"), set[0].ToArray());
        Assert.Equal(Wire("."), set[1].ToArray());
        Assert.Equal(1, set.IndexOf(Wire(".")));
        Assert.True(set.Contains(Wire("www.example.COM")));
        Assert.False(set.Contains(Wire("example.com")));
    }

    [Fact]
    public void TryAdd_Full_ReturnsFalse()
    {
        var set = new WireNameSet(new byte[2 * WireNameSet.SlotSize]);

        Assert.True(set.TryAdd(Wire("a.example")));
        Assert.True(set.TryAdd(Wire("b.example")));

        Assert.False(set.TryAdd(Wire("c.example")));
        Assert.Equal(2, set.Capacity);
        Assert.Equal(2, set.Count);
    }

    [Fact]
    public void TryAdd_LongestName_Fits()
    {
        string longest = $"{new string('a', 63)}.{new string('b', 63)}.{new string('c', 63)}.{new string('d', 61)}.";
        var set = new WireNameSet(new byte[WireNameSet.SlotSize]);

        Assert.True(set.TryAdd(Wire(longest)));

        Assert.Equal(255, set[0].Length);
        Assert.True(set.IsAtOrBelowAny(Wire(longest)));
    }

    [Fact]
    public void IsAtOrBelowAny_Zones_OnLabelBoundaries()
    {
        var set = new WireNameSet(new byte[2 * WireNameSet.SlotSize]);
        set.TryAdd(Wire("example.com"));
        set.TryAdd(Wire("a\\.b.net"));

        Assert.True(set.IsAtOrBelowAny(Wire("www.EXAMPLE.com")));
        Assert.True(set.IsAtOrBelowAny(Wire("example.com")));
        Assert.True(set.IsAtOrBelowAny(Wire("x.a\\.b.net")));
        Assert.False(set.IsAtOrBelowAny(Wire("www.ample.com")));
        Assert.False(set.IsAtOrBelowAny(Wire("b.net")));
        Assert.False(set.IsAtOrBelowAny(Wire(".")));
    }

    [Fact]
    public void AnyIsAtOrBelow_AncestorsOfAMember_True()
    {
        var set = new WireNameSet(new byte[WireNameSet.SlotSize]);
        set.TryAdd(Wire("www.example.com"));

        Assert.True(set.AnyIsAtOrBelow(Wire("Example.com")));
        Assert.True(set.AnyIsAtOrBelow(Wire(".")));
        Assert.True(set.AnyIsAtOrBelow(Wire("www.example.com")));
        Assert.False(set.AnyIsAtOrBelow(Wire("ample.com")));
        Assert.False(set.AnyIsAtOrBelow(Wire("x.www.example.com")));
    }

    [Fact]
    public void TryAddZone_KeepsOnlyTheTopmostZones()
    {
        var set = new WireNameSet(new byte[2 * WireNameSet.SlotSize]);

        Assert.True(set.TryAddZone(Wire("a.b.example")));
        Assert.True(set.TryAddZone(Wire("c.example")));
        Assert.True(set.TryAddZone(Wire("x.a.b.example")));
        Assert.Equal(2, set.Count);

        // "example" covers both: they make way for it, and a third zone still fits.
        Assert.True(set.TryAddZone(Wire("Example")));
        Assert.Equal(1, set.Count);
        Assert.Equal(Wire("example"), set[0].ToArray());
        Assert.True(set.TryAddZone(Wire("net")));
        Assert.Equal(2, set.Count);
        Assert.True(set.IsAtOrBelowAny(Wire("a.b.example")));
        Assert.False(set.IsAtOrBelowAny(Wire("com")));

        Assert.False(set.TryAddZone(Wire("org")));
    }

    [Fact]
    public void TryAdd_NotAName_Throws()
    {
        Assert.Throws<ArgumentException>(() => new WireNameSet(new byte[WireNameSet.SlotSize]).TryAdd([]));
        Assert.Throws<ArgumentException>(() => new WireNameSet(new byte[WireNameSet.SlotSize]).TryAdd(new byte[256]));
    }

    private static byte[] Wire(string name) => DnsName.Parse(name).WireBytes.ToArray();
}
