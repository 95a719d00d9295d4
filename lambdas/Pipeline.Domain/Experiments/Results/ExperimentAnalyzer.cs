using Pipeline.Domain.Experiments.Analysis;
using Pipeline.Domain.Experiments.Bandits;
using Pipeline.Domain.Experiments.Analysis.Distributions;
using Pipeline.Domain.Experiments.Metrics;

namespace Pipeline.Domain.Experiments.Results;

/// <summary>
/// Computes an experiment's results from its daily aggregates. The first variant is the control. Per
/// metric and treatment: Welch absolute and relative (delta method) lift, the always-valid sequential
/// interval of the relative lift, the chance to win, CUPED (covariate: the user's events before their
/// first exposure), and Holm / Benjamini-Hochberg adjustments of the absolute-lift p-values across all
/// metrics × treatments. Plus SRM, guardrails, and the cumulative lift per day for the charts.
/// A bandit's weights moved between periods, so its per-metric estimates (the metrics section and the timeline) are
/// period-weighted (<see cref="BanditEstimates.WeightedSummaries"/>, as GrowthBook weighs a bandit's periods): each
/// period's arm means weighted by the period's share of the users, the same weights for every arm. Pooling each arm over
/// its own users would weigh the periods differently per arm (Simpson's paradox when behaviour drifts). Without a per-user
/// CUPED covariate per period, a bandit's comparisons have no CUPED, and their chance to win is the normal Φ(δ/se) of the
/// weighted lift. Its guardrails are period-weighted too (<see cref="BanditGuardrails"/>); the variants' totals stay
/// pooled (<see cref="AnalysisSettings.Estimates"/> says so).
/// </summary>
public static class ExperimentAnalyzer
{
    public const double Alpha = 0.05;

    /// <summary>
    /// α of the guardrails' always-valid interval (two-sided, per guardrail and treatment): with no real harm, the
    /// probability that the interval of treatment − control is ever entirely above 0, over any number of looks at
    /// growing data, is at most this (Ville's inequality for the mixture boundary); with g guardrails at most g·α.
    /// </summary>
    public const double GuardrailAlpha = Alpha;

    /// <summary>N* of the sequential interval: the total sample where it is tightest (GrowthBook's default).</summary>
    public const double SequentialTuningSampleSize = 5000;

    public const double Power = 0.8;

    /// <summary>What <see cref="AnalysisSettings.Estimates"/> says for a fixed split.</summary>
    public const string PooledEstimates = "pooled: each variant's users over the whole phase";

    /// <summary>What <see cref="AnalysisSettings.Estimates"/> says for a bandit.</summary>
    public const string PeriodWeightedEstimates =
        "period-weighted (bandit): metrics, timeline and bandit weigh each period's arm means by the period's share of the users, " +
        "over the periods where every arm has at least 2 users (bandit.skipped_periods and bandit.skipped_users count the others); " +
        "guardrails weigh each period's arm samples (lists) the same way; " +
        "variants and srm.users are pooled totals over all periods (descriptive: compared between arms they are biased once the weights moved)";

    public static ExperimentResults Analyze(Experiment experiment, IReadOnlyList<VariantDayMetrics> daily)
    {
        var keys = experiment.Variants.Select(v => v.Key).ToArray();
        var days = daily.Select(d => d.Day).Distinct().Order().ToArray();
        var totals = Totals(keys, daily, _ => true);
        var control = totals[0];
        var periodWeighted = experiment.Allocation == ExperimentAllocation.Bandit;
        var guardrailPeriods = periodWeighted ? BanditGuardrails.CountedPeriods(keys, daily) : [];

        var metrics = ExperimentMetrics.All.Select(m => AnalyzeMetric(experiment, m, totals, Arms(experiment, m, totals, daily))).ToList();
        metrics = AdjustPValues(metrics);
        // A bandit's weights changed over time: its SRM is checked per period, against each period's own weights.
        var bandit = experiment.Allocation == ExperimentAllocation.Bandit ? BanditAnalysis.Analyze(experiment, daily) : null;
        var srm = CheckSrm(experiment, keys, daily);
        if (bandit is not null) srm = BanditAnalysis.Srm(bandit, [.. totals.Select(t => t.ExposedUsers)], srm.ExpectedShares);

        return new ExperimentResults(
            experiment.Key,
            experiment.Status.ToString().ToLowerInvariant(),
            experiment.Phase,
            keys[0],
            experiment.PrimaryMetric,
            experiment.MinimumDetectableEffect,
            days.Length > 0 ? days[0] : null,
            days.Length > 0 ? days[^1] : null,
            experiment.Variants.Select((v, i) => Summarize(v, totals[i])).ToArray(),
            srm,
            metrics,
            experiment.Guardrails.SelectMany(g => Enumerable.Range(1, keys.Length - 1).Select(k => periodWeighted
                ? Guardrail(g, keys[k], BanditGuardrails.Compare(g, guardrailPeriods, k))
                : Guardrail(g, control, totals[k]))).ToArray(),
            days.Select(day => Point(experiment, day, keys, daily)).ToArray(),
            new AnalysisSettings(Alpha, SequentialTuningSampleSize, AttributionRules.Window.TotalDays,
                periodWeighted ? "none for a bandit (its estimates are period-weighted)" : "events before the user's first exposure",
                "holm and benjamini-hochberg over metrics x treatments (absolute-lift p-values)",
                GuardrailAlpha,
                periodWeighted ? PeriodWeightedEstimates : PooledEstimates),
            bandit);
    }

    /// <summary>One arm's sample of one metric (null while it has too few users) and its value as shown.</summary>
    private sealed record ArmSample(SampleSummary? Summary, double? Value, bool PeriodWeighted);

    /// <summary>
    /// Each arm's sample of <paramref name="metric"/> over <paramref name="daily"/>: pooled over its users for a fixed split,
    /// period-weighted for a bandit.
    /// </summary>
    private static ArmSample[] Arms(Experiment experiment, string metric, VariantDayMetrics[] totals, IReadOnlyList<VariantDayMetrics> daily)
    {
        if (experiment.Allocation != ExperimentAllocation.Bandit)
        {
            return [.. totals.Select(t => new ArmSample(MetricSamples.Summary(metric, t), MetricSamples.Value(metric, t), false))];
        }
        var byPeriod = BanditEstimates.ByPeriod(metric, [.. totals.Select(t => t.VariantKey)], BanditAllocator.Periods(experiment).Count, daily);
        return [.. BanditEstimates.WeightedSummaries(metric, byPeriod).Select(s => new ArmSample(s, s?.Mean, true))];
    }

    /// <summary>Each variant's sums over the rows that pass <paramref name="include"/>, in variant order.</summary>
    public static VariantDayMetrics[] Totals(IReadOnlyList<string> keys, IReadOnlyList<VariantDayMetrics> daily, Func<VariantDayMetrics, bool> include) =>
        keys.Select(k => daily.Where(d => d.VariantKey == k && include(d))
            .Aggregate(new VariantDayMetrics(k, DateOnly.MinValue), (sum, row) => sum.Add(row))).ToArray();

    /// <summary>Relative lift with Welch and sequential intervals, or null while it cannot be computed.</summary>
    public static (Effect Welch, Effect Sequential)? RelativeLift(string metric, VariantDayMetrics control, VariantDayMetrics treatment) =>
        RelativeLift(MetricSamples.Summary(metric, control), MetricSamples.Summary(metric, treatment));

    private static (Effect Welch, Effect Sequential)? RelativeLift(SampleSummary? control, SampleSummary? treatment)
    {
        if (control is not { Mean: > 0 } a || treatment is not { } b)
        {
            return null;
        }
        var welch = Of(WelchTest.Analyze(a, b, relative: true, Alpha));
        var sequential = Of(SequentialInterval.Analyze(a, b, relative: true, Alpha, SequentialTuningSampleSize));
        return welch is null || sequential is null ? null : (welch, sequential);
    }

    private static MetricResult AnalyzeMetric(Experiment experiment, string metric, VariantDayMetrics[] totals, ArmSample[] arms)
    {
        var a = arms[0].Summary;
        long? needed = null;
        double? powerNow = null;
        if (a is { Mean: > 0, Variance: > 0 })
        {
            var effect = experiment.MinimumDetectableEffect * a.Mean;
            needed = PowerCalculator.SampleSizePerVariant(a.Variance, a.Variance, effect, Alpha, Power);
            var smallestArm = arms[0].PeriodWeighted
                ? arms.Skip(1).Select(s => s.Summary?.Units ?? 0).DefaultIfEmpty(0).Min()
                : totals.Skip(1).Select(t => t.ExposedUsers).DefaultIfEmpty(0).Min();
            powerNow = smallestArm > 0 ? PowerCalculator.Power(a.Variance, a.Variance, a.Units, smallestArm, effect, Alpha) : null;
        }
        var comparisons = Enumerable.Range(1, totals.Length - 1).Select(k => Compare(metric, totals[0], totals[k], arms[0], arms[k])).ToArray();
        return new MetricResult(metric, metric == experiment.PrimaryMetric, needed, powerNow, comparisons);
    }

    private static Comparison Compare(string metric, VariantDayMetrics control, VariantDayMetrics treatment, ArmSample controlArm, ArmSample treatmentArm)
    {
        var (a, b) = (controlArm.Summary, treatmentArm.Summary);
        var periodWeighted = controlArm.PeriodWeighted;
        Effect? absolute = null, relative = null, sequential = null;
        double? chanceToWin = null;
        CupedEffect? cuped = null;
        if (a is not null && b is not null)
        {
            absolute = Of(WelchTest.Analyze(a, b, relative: false, Alpha));
            if (RelativeLift(a, b) is { } lift)
            {
                (relative, sequential) = lift;
                cuped = periodWeighted ? null : CupedLift(metric, control, treatment);
            }
            chanceToWin = periodWeighted ? NormalChanceToWin(absolute) : ChanceToWin(metric, control, treatment, absolute);
        }
        return new Comparison(treatment.VariantKey, controlArm.Value, treatmentArm.Value,
            absolute, relative, sequential, chanceToWin, cuped, null, null);
    }

    private static CupedEffect? CupedLift(string metric, VariantDayMetrics control, VariantDayMetrics treatment)
    {
        try
        {
            var result = Cuped.Analyze(MetricSamples.Covariate(metric, control), MetricSamples.Covariate(metric, treatment), relative: true, Alpha);
            return Of(result.Effect) is { } adjusted && double.IsFinite(result.Theta) && double.IsFinite(result.VarianceReduction)
                ? new CupedEffect(result.Theta, result.VarianceReduction, adjusted)
                : null;
        }
        catch (ArgumentException)
        {
            return null; // the adjusted control mean is 0: no relative lift
        }
    }

    // Proportions: exact Beta-Binomial with a uniform prior. Means: normal posterior under a flat prior, Φ(δ/se).
    private static double? ChanceToWin(string metric, VariantDayMetrics control, VariantDayMetrics treatment, Effect? absolute)
    {
        if (ExperimentMetrics.IsProportion(metric))
        {
            var (ca, cb) = metric == ExperimentMetrics.ClickThroughRate
                ? (control.Clickers, treatment.Clickers)
                : (control.Purchasers, treatment.Purchasers);
            return BayesianChanceToWin.BetaBinomial(control.ExposedUsers, ca, treatment.ExposedUsers, cb, BetaPrior.Uniform);
        }
        return NormalChanceToWin(absolute);
    }

    private static double? NormalChanceToWin(Effect? absolute)
    {
        return absolute switch
        {
            null => null,
            { StandardError: > 0 } e => NormalDistribution.Cdf(e.Estimate / e.StandardError),
            var e => e.Estimate > 0 ? 1 : e.Estimate < 0 ? 0 : 0.5,
        };
    }

    private static List<MetricResult> AdjustPValues(List<MetricResult> metrics)
    {
        var family = metrics.SelectMany((m, mi) => m.Comparisons.Select((c, ci) => (mi, ci, p: c.Absolute?.PValue)))
            .Where(x => x.p is not null).ToArray();
        if (family.Length == 0)
        {
            return metrics;
        }
        var pValues = family.Select(x => x.p!.Value).ToArray();
        var holm = MultipleTesting.Holm(pValues);
        var bh = MultipleTesting.BenjaminiHochberg(pValues);
        var comparisons = metrics.Select(m => m.Comparisons.ToArray()).ToArray();
        for (var i = 0; i < family.Length; i++)
        {
            var (mi, ci, _) = family[i];
            comparisons[mi][ci] = comparisons[mi][ci] with { HolmPValue = holm[i], BenjaminiHochbergPValue = bh[i] };
        }
        return metrics.Select((m, i) => m with { Comparisons = comparisons[i] }).ToList();
    }

    /// <summary>
    /// One guardrail of one treatment: the fixed-horizon Welch interval of treatment − control (valid for one look only;
    /// <see cref="GuardrailResult.Harm"/>) and the always-valid sequential interval at <see cref="GuardrailAlpha"/>
    /// (<see cref="GuardrailResult.SequentialHarm"/>, what a decision taken at every poll, the online gate's, reads).
    /// </summary>
    public static GuardrailResult Guardrail(string guardrail, VariantDayMetrics control, VariantDayMetrics treatment) =>
        Guardrail(guardrail, treatment.VariantKey, MetricSamples.Guardrail(guardrail, control, treatment));

    private static GuardrailResult Guardrail(string guardrail, string treatmentKey,
        (SampleSummary? Control, SampleSummary? Treatment, double? ControlValue, double? TreatmentValue, double? ThresholdMs) samples)
    {
        var (a, b, controlValue, treatmentValue, threshold) = samples;
        var effect = a is null || b is null ? null : Of(WelchTest.Analyze(a, b, relative: false, Alpha));
        var sequential = a is null || b is null
            ? null
            : Of(SequentialInterval.Analyze(a, b, relative: false, GuardrailAlpha, SequentialTuningSampleSize));
        return new GuardrailResult(guardrail, treatmentKey, controlValue, treatmentValue, effect, effect is { CiLow: > 0 },
            sequential, sequential is { CiLow: > 0 }, threshold);
    }

    private static SrmCheck CheckSrm(Experiment experiment, string[] keys, IReadOnlyList<VariantDayMetrics> daily)
    {
        // After a weight change without re-versioning, returning users keep their old variants: only users
        // who entered on later days are expected in the new ratio.
        DateOnly? from = experiment.WeightsChangedAt is { } changed ? ExperimentUserMetrics.Day(changed).AddDays(1) : null;
        var users = Totals(keys, daily, d => from is null || d.Day >= from.Value).Select(t => t.ExposedUsers).ToArray();
        var weights = experiment.Variants.Select(v => v.Weight).ToArray();
        var shares = weights.Select(w => w / weights.Sum()).ToArray();
        var included = Enumerable.Range(0, keys.Length).Where(i => weights[i] > 0).ToArray();
        if (included.Length < 2 || included.Sum(i => users[i]) == 0)
        {
            return new SrmCheck(users, shares, null, null, false, from, "not enough users to check the sample ratio");
        }
        var result = SampleRatioMismatch.Test(included.Select(i => users[i]).ToArray(), included.Select(i => weights[i]).ToArray());
        return new SrmCheck(users, shares, result.ChiSquare, result.PValue, result.IsMismatch, from,
            result.IsMismatch ? "sample ratio mismatch (p < 0.001): the assignment or exposure logging is broken; do not trust the lifts" : null);
    }

    private static TimelinePoint Point(Experiment experiment, DateOnly day, string[] keys, IReadOnlyList<VariantDayMetrics> daily)
    {
        var upToDay = daily.Where(d => d.Day <= day).ToArray();
        var totals = Totals(keys, upToDay, _ => true);
        var lifts = new List<TimelineLift>();
        foreach (var metric in ExperimentMetrics.All)
        {
            var arms = Arms(experiment, metric, totals, upToDay);
            for (var k = 1; k < totals.Length; k++)
            {
                var lift = RelativeLift(arms[0].Summary, arms[k].Summary);
                lifts.Add(new TimelineLift(metric, totals[k].VariantKey, lift?.Welch.Estimate, lift?.Welch.CiLow, lift?.Welch.CiHigh,
                    lift?.Sequential.CiLow, lift?.Sequential.CiHigh));
            }
        }
        return new TimelinePoint(day, totals.Select(t => t.ExposedUsers).ToArray(), lifts);
    }

    private static VariantSummary Summarize(Variant variant, VariantDayMetrics t) => new(
        variant.Key, variant.Weight, t.ExposedUsers, t.Exposures, t.Clickers, t.Purchasers, t.Clicks, t.Purchases, t.Revenue,
        MetricSamples.Value(ExperimentMetrics.ClickThroughRate, t),
        MetricSamples.Value(ExperimentMetrics.ConversionRate, t),
        MetricSamples.Value(ExperimentMetrics.RevenuePerUser, t),
        MetricSamples.Value(ExperimentMetrics.ClicksPerUser, t),
        t.Exposures > 0 ? (double)t.FallbackExposures / t.Exposures : null,
        t.Exposures > 0 ? t.LatencyMsSum / t.Exposures : null);

    // JSON has no NaN or infinity: an effect with a non-finite part is reported as not computable.
    private static Effect? Of(EffectEstimate e) =>
        double.IsFinite(e.Estimate) && double.IsFinite(e.StandardError) && double.IsFinite(e.CiLow) && double.IsFinite(e.CiHigh) && double.IsFinite(e.PValue)
            ? new Effect(e.Estimate, e.StandardError, e.CiLow, e.CiHigh, e.PValue)
            : null;
}
