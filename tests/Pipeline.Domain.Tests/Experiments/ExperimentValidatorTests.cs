using Pipeline.Domain.Experiments;

namespace Pipeline.Domain.Tests.Experiments;

public sealed class ExperimentValidatorTests
{
    private static Experiment Valid() => new("recs-2026", ExperimentStatus.Draft,
        [new Variant("control", 0.5, "aws-popularity-count"), new Variant("treatment", 0.5, "aws-user-personalization")],
        Coverage: 1, Seed: "", CreatedAt: DateTimeOffset.UnixEpoch);

    private static string[] Fields(Experiment e) => ExperimentValidator.Validate(e).Select(x => x.Field).ToArray();

    [Fact]
    public void TwoArmExperiment_WithDefaults_IsValid() => Assert.Empty(Fields(Valid()));

    [Theory]
    [InlineData(0.5, 0.4)]
    [InlineData(0.5, 0.502)]
    public void Weights_ThatDoNotSumToOneWithinAThousandth_AreRefusedInsteadOfEqualized(double a, double b)
    {
        var e = Valid() with { Variants = [new Variant("control", a, "aws-sims"), new Variant("treatment", b, "aws-sims")] };

        var error = Assert.Single(ExperimentValidator.Validate(e));
        Assert.Equal("variants", error.Field);
        Assert.Contains("sum to 1", error.Message);
    }

    [Fact]
    public void Weights_WithinTheTolerance_AreAccepted() =>
        Assert.Empty(Fields(Valid() with { Variants = [new Variant("c", 0.3333, "aws-sims"), new Variant("t", 0.3333, "aws-sims"), new Variant("u", 0.3333, "aws-sims")] }));

    [Fact]
    public void DuplicateVariantKeys_AreNamedByPosition() =>
        Assert.Equal(["variants[1].key"], Fields(Valid() with { Variants = [new Variant("same", 0.5, "aws-sims"), new Variant("same", 0.5, "aws-sims")] }));

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Coverage_OutsideZeroToOne_IsRefused(double coverage) =>
        Assert.Equal(["coverage"], Fields(Valid() with { Coverage = coverage }));

    [Fact]
    public void Variant_NeedsARecipeOrACampaign()
    {
        Assert.Equal(["variants[0].recipe"], Fields(Valid() with { Variants = [new Variant("c", 0.5, ""), new Variant("t", 0.5, "aws-sims")] }));
        Assert.Empty(Fields(Valid() with { Variants = [new Variant("c", 0.5, "", "arn:aws:personalize:us-east-1:123456789012:campaign/x"), new Variant("t", 0.5, "aws-sims")] }));
    }

    [Fact]
    public void OtherRules_NameTheirFields()
    {
        var e = Valid() with
        {
            Key = "Has Spaces",
            Variants = [new Variant("only", 1, "aws-sims")],
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

    [Theory]
    [InlineData("no-such-recipe")]
    [InlineData("AWS-SIMS")]
    [InlineData("arn:aws:personalize:::recipe/no-such-recipe")]
    public void Recipe_ThatIsNotOneOfPersonalizes_IsRefused(string recipe) =>
        Assert.Equal(["variants[1].recipe"], Fields(Valid() with { Variants = [new Variant("c", 0.5, "aws-sims"), new Variant("t", 0.5, recipe)] }));

    [Fact]
    public void Recipe_GivenByItsArn_IsAccepted() =>
        Assert.Empty(Fields(Valid() with { Variants = [new Variant("c", 0.5, "aws-sims"), new Variant("t", 0.5, "arn:aws:personalize:::recipe/aws-user-personalization")] }));

    [Theory]
    [InlineData("not-an-arn")]
    [InlineData("arn:aws:personalize:us-east-1:123456789012:solution/x")]
    [InlineData("arn:aws:personalize:us-east-1:1:campaign/x")]
    [InlineData("arn:aws:s3:us-east-1:123456789012:campaign/x")]
    [InlineData("arn:aws:personalize:us-east-1:123456789012:campaign/a/b")]
    public void Campaign_ThatIsNotACampaignArn_IsRefused(string campaign) =>
        Assert.Equal(["variants[1].campaign"], Fields(Valid() with { Variants = [new Variant("c", 0.5, "aws-sims"), new Variant("t", 0.5, "aws-sims", campaign)] }));

    [Theory]
    [InlineData("arn:aws:personalize:us-east-1:000000000000:campaign/pipeline-aws-sims")]
    [InlineData("arn:aws-cn:personalize:cn-north-1:123456789012:campaign/x_1")]
    [InlineData("arn:aws-us-gov:personalize:us-gov-west-1:123456789012:campaign/X")]
    public void CampaignArnsOfEveryPartition_AreAccepted(string campaign) =>
        Assert.Empty(Fields(Valid() with { Variants = [new Variant("c", 0.5, "aws-sims"), new Variant("t", 0.5, "", campaign)] }));

    [Fact]
    public void Seed_OverTheLimitOrWithControlCharacters_IsRefused()
    {
        Assert.Empty(Fields(Valid() with { Seed = new string('s', ExperimentValidator.MaxSeedLength) }));
        Assert.Equal(["seed"], Fields(Valid() with { Seed = new string('s', 200_000) }));
        Assert.Equal(["seed"], Fields(Valid() with { Seed = "a\u0000b" }));
    }

    [Fact]
    public void Config_IsBoundedInEntriesNamesAndValues()
    {
        static Experiment With(Dictionary<string, string> config) =>
            Valid() with { Variants = [new Variant("c", 0.5, "aws-sims"), new Variant("t", 0.5, "aws-sims", Config: config)] };

        Assert.Empty(Fields(With(new() { ["explore"] = "0.1" })));
        Assert.Equal(["variants[1].config"], Fields(With(Enumerable.Range(0, 33).ToDictionary(i => $"k{i}", _ => "v"))));
        Assert.Equal(["variants[1].config.big"], Fields(With(new() { ["big"] = new string('v', 200_000) })));
        Assert.Equal(["variants[1].config."], Fields(With(new() { [""] = "v" })));
    }
}
