using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Domain.Experiments;
using Pipeline.Domain.Training.OnlineGate;

namespace Pipeline.Api.Functions;

/// <summary>The training input's <c>online_gate</c> as the workflow passes it to the online gate function, and back.</summary>
public static class OnlineGateSettingsJson
{
    /// <summary>The settings as JSON (what the workflow passes from one gate call to the next).</summary>
    public static JsonObject ToJson(this OnlineGateSettings settings) => new()
    {
        ["recipe"] = settings.Recipe,
        ["weight"] = settings.Weight,
        ["min_users"] = settings.MinUsers,
        ["max_days"] = settings.MaxDays,
        ["metric"] = settings.Metric,
        ["guardrails"] = new JsonArray([.. settings.Guardrails.Select(g => (JsonNode)JsonValue.Create(g))]),
        ["poll_seconds"] = settings.PollSeconds,
    };

    /// <summary>
    /// Reads <c>online_gate</c> with its defaults; every invalid field is reported under its own name
    /// (<c>online_gate.weight</c>, <c>online_gate.guardrails[1]</c>…), and settings are returned only when there is none.
    /// </summary>
    public static OnlineGateSettings? Parse(JsonNode? node, out IReadOnlyDictionary<string, string> errors)
    {
        var problems = new SortedDictionary<string, string>(StringComparer.Ordinal);
        errors = problems;
        if (node is not JsonObject input)
        {
            problems["online_gate"] = "online_gate must be an object {recipe?, weight?, min_users?, max_days?, metric?, guardrails?, poll_seconds?}";
            return null;
        }
        foreach (var (key, _) in input)
        {
            if (key is not ("recipe" or "weight" or "min_users" or "max_days" or "metric" or "guardrails" or "poll_seconds"))
            {
                problems["online_gate." + key] = $"online_gate.{key} is not a setting of the online gate";
            }
        }

        string? recipe = null;
        if (input["recipe"] is { } recipeNode && !PayloadValues.TryNonEmptyString(recipeNode, out recipe))
        {
            problems["online_gate.recipe"] = "online_gate.recipe must be a non-empty string: the recipe of this run whose new model is the challenger";
        }
        var weight = Number(input, "weight", OnlineGateSettings.DefaultWeight, problems, w => w > 0 && w <= 0.5,
            "online_gate.weight must be a number in (0, 0.5]: the challenger's share of the traffic");
        var minUsers = Number(input, "min_users", OnlineGateSettings.DefaultMinUsers, problems, u => u >= 1 && u == Math.Floor(u) && u <= int.MaxValue,
            "online_gate.min_users must be a whole number >= 1: the challenger's exposed users needed to promote it");
        var maxDays = Number(input, "max_days", OnlineGateSettings.DefaultMaxDays, problems, d => d > 0 && d <= OnlineGateSettings.MaximumMaxDays,
            $"online_gate.max_days must be a number in (0, {OnlineGateSettings.MaximumMaxDays.ToString(CultureInfo.InvariantCulture)}]: how long to wait for evidence");
        var pollSeconds = Number(input, "poll_seconds", OnlineGateSettings.DefaultPollSeconds, problems, s => s >= 1 && s == Math.Floor(s) && s <= 86400,
            "online_gate.poll_seconds must be a whole number in [1, 86400]: the wait between two decisions");

        var metric = ExperimentMetrics.ClickThroughRate;
        if (input["metric"] is { } metricNode && (!PayloadValues.TryNonEmptyString(metricNode, out metric!) || !ExperimentMetrics.All.Contains(metric)))
        {
            problems["online_gate.metric"] = "online_gate.metric must be one of " + string.Join(", ", ExperimentMetrics.All);
        }

        var guardrails = OnlineGateSettings.DefaultGuardrails;
        if (input["guardrails"] is { } guardrailsNode)
        {
            if (guardrailsNode is not JsonArray array)
            {
                problems["online_gate.guardrails"] = "online_gate.guardrails must be an array of " + string.Join(", ", GuardrailMetrics.All);
            }
            else
            {
                var names = new List<string>();
                for (var i = 0; i < array.Count; i++)
                {
                    if (PayloadValues.TryNonEmptyString(array[i], out var name) && GuardrailMetrics.All.Contains(name))
                    {
                        if (!names.Contains(name)) names.Add(name);
                    }
                    else
                    {
                        problems[$"online_gate.guardrails[{i}]"] = $"online_gate.guardrails[{i}] must be one of " + string.Join(", ", GuardrailMetrics.All);
                    }
                }
                guardrails = names;
            }
        }

        return problems.Count > 0
            ? null
            : new OnlineGateSettings(recipe, weight, (long)minUsers, maxDays, metric, guardrails, (int)pollSeconds);
    }

    private static double Number(JsonObject input, string key, double fallback, IDictionary<string, string> problems, Func<double, bool> valid, string message)
    {
        if (input[key] is not { } node) return fallback;
        if (TryNumber(node, out var value) && double.IsFinite(value) && valid(value))
        {
            return value;
        }
        problems["online_gate." + key] = message;
        return fallback;
    }

    /// <summary>A JSON number, parsed from text or built in memory from any numeric type.</summary>
    internal static bool TryNumber(JsonNode? node, out double value)
    {
        value = 0;
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number) return false;
        if (v.TryGetValue(out value)) return true;
        if (v.TryGetValue(out long l)) { value = l; return true; }
        if (v.TryGetValue(out int i)) { value = i; return true; }
        if (v.TryGetValue(out decimal m)) { value = (double)m; return true; }
        if (v.TryGetValue(out float f)) { value = f; return true; }
        return false;
    }
}
