using System.Globalization;
using Pipeline.Domain.Experiments;

namespace Pipeline.Domain.Tests.Experiments;

public sealed class VariantAssignerTests
{
    private const int Users = 100_000;

    [Fact]
    public void Assign_WhenWeightsUneven_RespectsRanges()
    {
        var experiment = Create([0.1, 0.3, 0.6]);

        var shares = Shares(experiment);

        Assert.Equal(0, shares[^1], 10); // everyone is in: coverage 1
        Assert.Equal(0.1, shares[0], 0.005);
        Assert.Equal(0.3, shares[1], 0.005);
        Assert.Equal(0.6, shares[2], 0.005);
    }

    [Fact]
    public void Assign_WhenCoverageReduced_ScalesEveryVariantsShare()
    {
        var experiment = Create([0.25, 0.75]) with { Coverage = 0.4 };

        var shares = Shares(experiment);

        Assert.Equal(0.6, shares[^1], 0.005); // not in experiment
        Assert.Equal(0.1, shares[0], 0.005);
        Assert.Equal(0.3, shares[1], 0.005);
    }

    [Fact]
    public void Assign_WhenNamespaceSlicesDisjoint_NoUserIsInBothExperiments()
    {
        var left = Create([0.5, 0.5]) with { Key = "left", Namespace = new ExperimentNamespace("recs", 0, 0.5) };
        var right = Create([0.5, 0.5]) with { Key = "right", Namespace = new ExperimentNamespace("recs", 0.5, 1) };

        var inLeft = 0;
        var inRight = 0;
        for (var i = 0; i < Users; i++)
        {
            var user = UserId(i);
            var l = VariantAssigner.Assign(left, user) is not null;
            var r = VariantAssigner.Assign(right, user) is not null;
            Assert.False(l && r, user);
            inLeft += l ? 1 : 0;
            inRight += r ? 1 : 0;
        }

        Assert.Equal(0.5, (double)inLeft / Users, 0.01);
        Assert.Equal(0.5, (double)inRight / Users, 0.01);
    }

    [Fact]
    public void Assign_IsDeterministic()
    {
        var experiment = Create([0.5, 0.5]);

        for (var i = 0; i < 1_000; i++)
        {
            Assert.Same(VariantAssigner.Assign(experiment, UserId(i)), VariantAssigner.Assign(experiment with { }, UserId(i)));
        }
    }

    [Fact]
    public void Assign_WhenSeedEmpty_HashesWithExperimentKey()
    {
        var withEmptySeed = Create([0.5, 0.5]) with { Seed = "" };
        var withKeyAsSeed = withEmptySeed with { Seed = withEmptySeed.Key };
        var withOtherSeed = withEmptySeed with { Seed = "other" };

        var differs = false;
        for (var i = 0; i < 1_000; i++)
        {
            var index = VariantAssigner.AssignIndex(withEmptySeed, UserId(i));
            Assert.Equal(VariantAssigner.AssignIndex(withKeyAsSeed, UserId(i)), index);
            differs |= VariantAssigner.AssignIndex(withOtherSeed, UserId(i)) != index;
        }

        Assert.True(differs);
    }

    [Theory]
    [InlineData(ExperimentStatus.Draft)]
    [InlineData(ExperimentStatus.Stopped)]
    public void Assign_WhenNotRunning_ReturnsNull(ExperimentStatus status)
    {
        Assert.Null(VariantAssigner.Assign(Create([0.5, 0.5]) with { Status = status }, "user-1"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Assign_WhenUserIdMissing_ReturnsNull(string? userId)
    {
        Assert.Null(VariantAssigner.Assign(Create([0.5, 0.5]), userId));
    }

    [Fact]
    public void Assign_WhenSingleVariant_ReturnsNull()
    {
        Assert.Null(VariantAssigner.Assign(Create([1]), "user-1"));
    }

    [Fact]
    public void Assign_WhenHashVersionUnknown_ReturnsNull()
    {
        Assert.Null(VariantAssigner.Assign(Create([0.5, 0.5]) with { HashVersion = 3 }, "user-1"));
    }

    [Fact]
    public void Assign_WhenManyVariants_AssignsEveryUser()
    {
        var experiment = Create(BucketRanges.GetEqualWeights(100));

        for (var i = 0; i < 1_000; i++)
        {
            Assert.NotNull(VariantAssigner.Assign(experiment, UserId(i)));
        }
    }

    [Fact]
    public void AssignIndex_DoesNotAllocate()
    {
        var experiment = Create([0.2, 0.3, 0.5]) with { Namespace = new ExperimentNamespace("recs", 0, 1) };
        var users = Enumerable.Range(0, 1_000).Select(UserId).ToArray();
        var sink = VariantAssigner.AssignIndex(experiment, users[0]);

        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var user in users)
        {
            sink += VariantAssigner.AssignIndex(experiment, user);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(sink > 0);
    }

    /// <summary>Share of users per variant; the last element is the share not in the experiment.</summary>
    private static double[] Shares(Experiment experiment)
    {
        var counts = new int[experiment.Variants.Count + 1];
        for (var i = 0; i < Users; i++)
        {
            var index = VariantAssigner.AssignIndex(experiment, UserId(i));
            counts[index < 0 ? ^1 : index]++;
        }

        return counts.Select(c => (double)c / Users).ToArray();
    }

    private static string UserId(int i) => "user-" + i.ToString(CultureInfo.InvariantCulture);

    private static Experiment Create(double[] weights) => new(
        Key: "recs-ranking",
        Status: ExperimentStatus.Running,
        Variants: weights.Select((w, i) => new Variant($"v{i}", w, $"recipe-{i}")).ToArray(),
        Coverage: 1,
        Seed: "recs-ranking-seed",
        CreatedAt: DateTimeOffset.UnixEpoch);
}
