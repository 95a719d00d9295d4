using Pipeline.Domain.Experiments;

namespace Pipeline.Domain.Tests.Experiments;

public sealed class ExperimentValidatorTests
{
    private static Experiment Valid() => new("recs-2026", ExperimentStatus.Draft,
        [new Variant("control", 0.5, "aws-popularity-count"), new Variant("treatment", 0.5, "aws-user-personalization")],
        Coverage: 1, Seed: "", CreatedAt: DateTimeOffset.UnixEpoch);

    private static string[] Fields(Experiment e) => ExperimentValidator.Validate(e).Select(x => x.Field).ToArray();

    [Fact]
    public void A_two_arm_experiment_with_defaults_is_valid() => Assert.Empty(Fields(Valid()));

    [Theory]
    [InlineData(0.5, 0.4)]
    [InlineData(0.5, 0.502)]
    public void Weights_that_do_not_sum_to_one_within_a_thousandth_are_refused_instead_of_equalized(double a, double b)
    {
        var e = Valid() with { Variants = [new Variant("control", a, "r"), new Variant("treatment", b, "r")] };

        var error = Assert.Single(ExperimentValidator.Validate(e));
        Assert.Equal("variants", error.Field);
        Assert.Contains("sum to 1", error.Message);
    }

    [Fact]
    public void Weights_within_the_tolerance_are_accepted() =>
        Assert.Empty(Fields(Valid() with { Variants = [new Variant("c", 0.3333, "r"), new Variant("t", 0.3333, "r"), new Variant("u", 0.3333, "r")] }));

    [Fact]
    public void Duplicate_variant_keys_are_named_by_position() =>
        Assert.Equal(["variants[1].key"], Fields(Valid() with { Variants = [new Variant("same", 0.5, "r"), new Variant("same", 0.5, "r")] }));

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Coverage_outside_zero_to_one_is_refused(double coverage) =>
        Assert.Equal(["coverage"], Fields(Valid() with { Coverage = coverage }));

    [Fact]
    public void A_variant_needs_a_recipe_or_a_campaign()
    {
        Assert.Equal(["variants[0].recipe"], Fields(Valid() with { Variants = [new Variant("c", 0.5, ""), new Variant("t", 0.5, "r")] }));
        Assert.Empty(Fields(Valid() with { Variants = [new Variant("c", 0.5, "", "arn:aws:personalize:us-east-1:1:campaign/x"), new Variant("t", 0.5, "r")] }));
    }

    [Fact]
    public void Other_rules_name_their_fields()
    {
        var e = Valid() with
        {
            Key = "Has Spaces",
            Variants = [new Variant("only", 1, "r")],
            Holdout = 1,
            HashAttribute = "session_id",
            HashVersion = 3,
            Namespace = new ExperimentNamespace("ns", 0.6, 0.4),
            PrimaryMetric = "happiness",
            Guardrails = ["cpu"],
            MinimumDetectableEffect = 0,
        };

        Assert.Equal(
            ["key", "variants", "holdout", "hash_attribute", "hash_version", "namespace", "primary_metric", "guardrail_metrics", "minimum_detectable_effect"],
            Fields(e));
    }
}
