using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Domain.Experiments.Analysis;

namespace Pipeline.Cli.Experiments;

/// <summary>One analysed case: its position in the input, its kind and its results.</summary>
public sealed record AnalysisCaseResult(int Index, string Kind, JsonObject Results);

/// <summary>
/// Runs analysis cases written in the format of ../shared/conformance/stats/reference.json
/// (<c>{"cases": [{"kind": ..., inputs...}]}</c>; any <c>expected</c> is ignored) and returns each
/// case's results under the same field names as <c>expected</c>. Pure: JSON in, JSON out. A reading of that
/// conformance format for <c>pipeline experiment analyze</c>, not domain code: the statistics it calls are
/// Pipeline.Domain's (Experiments/Analysis) (#19).
/// </summary>
/// <remarks>
/// Kinds: <c>proportion</c> and <c>mean</c> (Welch; estimate, se, ci_low, ci_high, p_value, df),
/// <c>sequential_proportion</c> and <c>sequential_mean</c> (tuning_n_star; estimate, se, ci_low,
/// ci_high, p_value), <c>beta_binomial_chance_to_win</c> (prior; chance_to_win), <c>srm</c>
/// (observed, weights; chi_square, p_value, mismatch), <c>holm_bonferroni</c> and
/// <c>benjamini_hochberg</c> (p_values; adjusted), <c>cuped</c> (per variant units, sum,
/// sum_squares, covariate_sum, covariate_sum_squares, sum_products; the Welch fields plus theta and
/// variance_reduction), <c>sample_size_proportion</c> (baseline_rate, relative_mde, alpha, power;
/// units_per_variant) and <c>power_proportion</c> (baseline_rate, relative_mde, alpha,
/// units_per_variant; power).
/// </remarks>
public static class ReferenceCaseRunner
{
    public static IReadOnlyList<AnalysisCaseResult> Run(string json)
    {
        JsonNode? document;
        try
        {
            document = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new AnalysisInputException($"not valid JSON: {e.Message}", e);
        }
        return Run(document ?? throw new AnalysisInputException("the document is empty (null)."));
    }

    public static IReadOnlyList<AnalysisCaseResult> Run(JsonNode document)
    {
        if (document is not JsonObject root || root["cases"] is not JsonArray cases)
            throw new AnalysisInputException("the document must be an object with a 'cases' array.");
        var results = new List<AnalysisCaseResult>(cases.Count);
        for (var i = 0; i < cases.Count; i++)
        {
            if (cases[i] is not JsonObject item) throw new AnalysisInputException($"cases[{i}] must be an object.");
            var json = new CaseJson(item, $"cases[{i}]");
            string kind;
            try { kind = json.Required("kind").GetValue<string>(); }
            catch (InvalidOperationException e) { throw new AnalysisInputException($"cases[{i}]: 'kind' must be a string.", e); }
            results.Add(new AnalysisCaseResult(i, kind, RunCase(kind, json)));
        }
        return results;
    }

    /// <summary><c>{"cases": [{"kind": ..., "results": {...}}]}</c>.</summary>
    public static JsonObject ToJson(IReadOnlyList<AnalysisCaseResult> results) => new()
    {
        ["cases"] = new JsonArray(results.Select(r => (JsonNode)new JsonObject
        {
            ["kind"] = r.Kind,
            ["results"] = r.Results.DeepClone(),
        }).ToArray()),
    };

    private static JsonObject RunCase(string kind, CaseJson json)
    {
        try
        {
            return kind switch
            {
                "proportion" => Effect(WelchTest.Analyze(Proportion(json.Object("control")), Proportion(json.Object("treatment")),
                    json.Boolean("relative", false), Alpha(json))),
                "mean" => Effect(WelchTest.Analyze(Mean(json.Object("control")), Mean(json.Object("treatment")),
                    json.Boolean("relative", false), Alpha(json))),
                "sequential_proportion" => Effect(SequentialInterval.Analyze(Proportion(json.Object("control")),
                    Proportion(json.Object("treatment")), json.Boolean("relative", false), Alpha(json), json.Number("tuning_n_star"))),
                "sequential_mean" => Effect(SequentialInterval.Analyze(Mean(json.Object("control")),
                    Mean(json.Object("treatment")), json.Boolean("relative", false), Alpha(json), json.Number("tuning_n_star"))),
                "beta_binomial_chance_to_win" => ChanceToWin(json),
                "srm" => Srm(json),
                "holm_bonferroni" => Adjusted(MultipleTesting.Holm(json.Numbers("p_values"))),
                "benjamini_hochberg" => Adjusted(MultipleTesting.BenjaminiHochberg(json.Numbers("p_values"))),
                "cuped" => CupedCase(json),
                "sample_size_proportion" => new JsonObject
                {
                    ["units_per_variant"] = PowerCalculator.SampleSizePerVariantForProportion(json.Number("baseline_rate"),
                        json.Number("relative_mde"), Alpha(json), json.Number("power", 0.8)),
                },
                "power_proportion" => PowerCase(json),
                _ => throw new AnalysisInputException($"{json.Where}: unknown kind '{kind}'."),
            };
        }
        catch (ArgumentException e)
        {
            throw new AnalysisInputException($"{json.Where} ({kind}): {FirstLine(e.Message)}", e);
        }
    }

    private static double Alpha(CaseJson json) => json.Number("alpha", 0.05);

    private static SampleSummary Proportion(CaseJson variant) =>
        SampleSummary.FromProportion(variant.Integer("units"), variant.Integer("conversions"));

    private static SampleSummary Mean(CaseJson variant) =>
        SampleSummary.FromSums(variant.Integer("units"), variant.Number("sum"), variant.Number("sum_squares"));

    private static JsonObject Effect(EffectEstimate effect)
    {
        var result = new JsonObject
        {
            ["estimate"] = Number(effect.Estimate),
            ["se"] = Number(effect.StandardError),
            ["ci_low"] = Number(effect.CiLow),
            ["ci_high"] = Number(effect.CiHigh),
            ["p_value"] = Number(effect.PValue),
        };
        if (effect.DegreesOfFreedom is { } df) result["df"] = Number(df);
        return result;
    }

    private static JsonObject ChanceToWin(CaseJson json)
    {
        var prior = BetaPrior.Uniform;
        if (json.Has("prior"))
        {
            var values = json.Numbers("prior");
            if (values.Length != 2) throw new AnalysisInputException($"{json.Where}: 'prior' must be [alpha, beta].");
            prior = new BetaPrior(values[0], values[1]);
        }
        var control = json.Object("control");
        var treatment = json.Object("treatment");
        return new JsonObject
        {
            ["chance_to_win"] = Number(BayesianChanceToWin.BetaBinomial(control.Integer("units"), control.Integer("conversions"),
                treatment.Integer("units"), treatment.Integer("conversions"), prior)),
        };
    }

    private static JsonObject Srm(CaseJson json)
    {
        var observed = json.Numbers("observed").Select((o, i) => o == Math.Floor(o) && o >= 0
            ? (long)o
            : throw new AnalysisInputException($"{json.Where}: observed[{i}] must be a non-negative integer.")).ToArray();
        var result = SampleRatioMismatch.Test(observed, json.Numbers("weights"),
            json.Number("threshold", SampleRatioMismatch.DefaultThreshold));
        return new JsonObject
        {
            ["chi_square"] = Number(result.ChiSquare),
            ["p_value"] = Number(result.PValue),
            ["mismatch"] = result.IsMismatch,
        };
    }

    private static JsonObject Adjusted(double[] adjusted) => new()
    {
        ["adjusted"] = new JsonArray(adjusted.Select(p => (JsonNode?)Number(p)).ToArray()),
    };

    private static JsonObject CupedCase(CaseJson json)
    {
        static CovariateSummary Read(CaseJson v) => new(v.Integer("units"), v.Number("sum"), v.Number("sum_squares"),
            v.Number("covariate_sum"), v.Number("covariate_sum_squares"), v.Number("sum_products"));
        var result = Cuped.Analyze(Read(json.Object("control")), Read(json.Object("treatment")),
            json.Boolean("relative", false), Alpha(json));
        var output = Effect(result.Effect);
        output["theta"] = Number(result.Theta);
        output["variance_reduction"] = Number(result.VarianceReduction);
        return output;
    }

    private static JsonObject PowerCase(CaseJson json)
    {
        var baseline = json.Number("baseline_rate");
        var treated = baseline * (1 + json.Number("relative_mde"));
        var units = json.Integer("units_per_variant");
        return new JsonObject
        {
            ["power"] = Number(PowerCalculator.Power(baseline * (1 - baseline), treated * (1 - treated), units, units,
                treated - baseline, Alpha(json))),
        };
    }

    private static JsonNode? Number(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
