using Palisade.Server.Handlers;

namespace Palisade.Server.Tests.Handlers;

public sealed class ApproximateDistinctCountTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(10)]
    public void TakeEstimate_FewValuesEachAddedOften_Exact(int values)
    {
        var count = new ApproximateDistinctCount();
        for (int round = 0; round < 5; round++)
        {
            for (int value = 0; value < values; value++)
            {
                count.Add(value.GetHashCode());
            }
        }

        Assert.Equal(values, count.TakeEstimate());
    }

    [Theory]
    [InlineData(300)]
    [InlineData(2000)]
    public void TakeEstimate_ManyValues_WithinAFewPerCent(int values)
    {
        var count = new ApproximateDistinctCount();
        for (int value = 0; value < values; value++)
        {
            count.Add(HashCode.Combine(value, "10.0.0.0"));
        }

        Assert.InRange(count.TakeEstimate(), values * 0.9, values * 1.1);
    }

    [Fact]
    public void TakeEstimate_StartsAfresh()
    {
        var count = new ApproximateDistinctCount();
        count.Add(1);
        count.Add(2);
        Assert.Equal(2, count.TakeEstimate());

        Assert.Equal(0, count.TakeEstimate());
    }

    [Fact]
    public void TakeEstimate_EveryBitSet_SaysAtLeastSaturated()
    {
        var count = new ApproximateDistinctCount();
        for (int value = 0; value < 200_000; value++)
        {
            count.Add(value);
        }

        Assert.Equal(ApproximateDistinctCount.Saturated, count.TakeEstimate());
    }
}
