using System.Text.Json.Nodes;
using Pipeline.StatesLanguage.Json;

namespace Pipeline.StatesLanguage.Definition;

internal sealed partial class DefinitionParser
{
    private List<Retrier> ParseRetry(JsonObject obj, string where)
    {
        var retriers = new List<Retrier>();
        foreach (var (rule, index, ruleWhere) in Rules(obj, "Retry", where))
        {
            var errors = ParseErrorEquals(rule, ruleWhere, isLast: index == ((JsonArray)obj["Retry"]!).Count - 1);
            var interval = 1m;
            if (rule["IntervalSeconds"] is { } intervalJson && (!JsonValues.TryGetInteger(intervalJson, out var intervalValue) || intervalValue < 1))
            {
                Problem($"{ruleWhere}: 'IntervalSeconds' must be a positive integer.");
            }
            else if (rule["IntervalSeconds"] is { } given)
            {
                JsonValues.TryGetNumber(given, out interval);
            }
            var maxAttempts = 3;
            if (rule["MaxAttempts"] is { } attemptsJson)
            {
                if (!JsonValues.TryGetInteger(attemptsJson, out var attempts) || attempts < 0)
                {
                    Problem($"{ruleWhere}: 'MaxAttempts' must be a non-negative integer.");
                }
                maxAttempts = (int)attempts;
            }
            var backoff = 2.0;
            if (rule["BackoffRate"] is { } backoffJson && (!JsonValues.TryGetDouble(backoffJson, out backoff) || backoff < 1.0))
            {
                Problem($"{ruleWhere}: 'BackoffRate' must be a number of at least 1.0.");
            }
            decimal? maxDelay = null;
            if (rule["MaxDelaySeconds"] is { } maxDelayJson)
            {
                if (!JsonValues.TryGetInteger(maxDelayJson, out var value) || value < 1)
                {
                    Problem($"{ruleWhere}: 'MaxDelaySeconds' must be a positive integer.");
                }
                maxDelay = value;
            }
            var jitter = JitterStrategy.None;
            if (rule["JitterStrategy"] is { } jitterJson)
            {
                jitter = jitterJson.ToString() switch
                {
                    "FULL" => JitterStrategy.Full,
                    "NONE" => JitterStrategy.None,
                    var other => InvalidJitter(ruleWhere, other),
                };
            }
            retriers.Add(new Retrier(errors, interval, maxAttempts, backoff, maxDelay, jitter));
        }
        return retriers;
    }

    private JitterStrategy InvalidJitter(string where, string value)
    {
        Problem($"{where}: 'JitterStrategy' is '{value}'; it must be FULL or NONE.");
        return JitterStrategy.None;
    }

    private List<Catcher> ParseCatch(JsonObject obj, string where)
    {
        var catchers = new List<Catcher>();
        foreach (var (rule, index, ruleWhere) in Rules(obj, "Catch", where))
        {
            var errors = ParseErrorEquals(rule, ruleWhere, isLast: index == ((JsonArray)obj["Catch"]!).Count - 1);
            var next = OptionalString(rule, "Next", ruleWhere);
            if (next is null)
            {
                Problem($"{ruleWhere} has no 'Next' field.");
            }
            catchers.Add(new Catcher(errors, next ?? "", OptionalPath(rule, "ResultPath", ruleWhere, referencePath: true)));
        }
        return catchers;
    }

    private IEnumerable<(JsonObject Rule, int Index, string Where)> Rules(JsonObject obj, string field, string where)
    {
        if (!obj.TryGetPropertyValue(field, out var value))
        {
            yield break;
        }
        if (value is not JsonArray array)
        {
            Problem($"{where}: '{field}' must be an array.");
            yield break;
        }
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is JsonObject rule)
            {
                yield return (rule, i, $"{where}: '{field}[{i}]'");
            }
            else
            {
                Problem($"{where}: '{field}[{i}]' must be a JSON object.");
            }
        }
    }

    private List<string> ParseErrorEquals(JsonObject rule, string where, bool isLast)
    {
        if (rule["ErrorEquals"] is not JsonArray array || array.Count == 0 || !array.All(JsonValues.IsString))
        {
            Problem($"{where} has no 'ErrorEquals' array of one or more error names.");
            return [];
        }
        var errors = array.Select(e => e!.GetValue<string>()).ToList();
        if (errors.Contains(StatesErrors.All) && (errors.Count > 1 || !isLast))
        {
            Problem($"{where}: 'States.ALL' must appear alone in 'ErrorEquals', in the last rule.");
        }
        return errors;
    }
}
