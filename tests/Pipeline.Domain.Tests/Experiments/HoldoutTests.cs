using Pipeline.Domain.Experiments;

namespace Pipeline.Domain.Tests.Experiments;

public sealed class HoldoutTests
{
    private static Experiment Create(double holdout) => new("exp", ExperimentStatus.Running,
        [new Variant("a", 0.5, "r"), new Variant("b", 0.5, "r")], Coverage: 1, Seed: "s", CreatedAt: DateTimeOffset.UnixEpoch)
    {
        Holdout = holdout,
    };

    [Fact]
    public void Holdout_HoldsOutAboutTheConfiguredShareOfUsers()
    {
        var held = Enumerable.Range(0, 20_000).Count(i => VariantAssigner.InHoldout(Create(0.1), $"user-{i}"));

        Assert.InRange(held / 20_000d, 0.09, 0.11);
    }

    [Fact]
    public void Holdout_DoesNotMoveWithThePhaseAndIsIndependentOfTheVariant()
    {
        var users = Enumerable.Range(0, 20_000).Select(i => $"user-{i}").ToArray();
        var phase0 = users.Where(u => VariantAssigner.InHoldout(Create(0.2), u)).ToArray();
        var phase3 = users.Where(u => VariantAssigner.InHoldout(Create(0.2) with { Phase = 3 }, u)).ToArray();

        Assert.Equal(phase0, phase3);
        var inB = phase0.Count(u => VariantAssigner.Assign(Create(0.2), u)!.Key == "b") / (double)phase0.Length;
        Assert.InRange(inB, 0.46, 0.54);
    }

    [Fact]
    public void NoHoldout_HoldsNoOneOut() =>
        Assert.DoesNotContain(Enumerable.Range(0, 1000), i => VariantAssigner.InHoldout(Create(0), $"user-{i}"));
}
