using Pipeline.Engine.Datasets;

namespace Pipeline.Engine.Tests.Datasets;

public sealed class SyntheticDataOptionsTests
{
    [Theory]
    [InlineData(0, 10, 10, "users")]
    [InlineData(-5, 10, 10, "users")]
    [InlineData(10, 0, 10, "items")]
    [InlineData(10, 10, 0, "interactions")]
    [InlineData(10, 10, 9, "at least the number of users")]
    public void Validate_WithImpossibleCounts_ThrowsOneLineMessage(int users, int items, int interactions, string mentioned)
    {
        var error = Assert.Throws<ArgumentException>(() => new SyntheticDataOptions(users, items, interactions).Validate());
        Assert.Contains(mentioned, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Validate_WithDefaults_Passes()
    {
        new SyntheticDataOptions().Validate();
        new SyntheticDataOptions(Users: 1, Items: 1, Interactions: 1).Validate();
    }
}
