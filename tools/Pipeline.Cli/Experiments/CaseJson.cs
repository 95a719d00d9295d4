using System.Text.Json.Nodes;

namespace Pipeline.Cli.Experiments;

/// <summary>Reads the fields of one analysis case (reference.json format), with one-line errors.</summary>
internal sealed class CaseJson(JsonObject node, string where)
{
    public string Where => where;

    public bool Has(string name) => node[name] is not null;

    public JsonNode Required(string name) =>
        node[name] ?? throw new AnalysisInputException($"{where}: missing field '{name}'.");

    public double Number(string name) => AsNumber(Required(name), name);

    public double Number(string name, double fallback) => node[name] is { } value ? AsNumber(value, name) : fallback;

    public bool Boolean(string name, bool fallback)
    {
        if (node[name] is not { } value) return fallback;
        try { return value.GetValue<bool>(); }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new AnalysisInputException($"{where}: field '{name}' must be true or false.", e);
        }
    }

    public long Integer(string name)
    {
        var value = Number(name);
        if (value != Math.Floor(value) || Math.Abs(value) > 1e15)
            throw new AnalysisInputException($"{where}: field '{name}' must be an integer.");
        return (long)value;
    }

    public CaseJson Object(string name) =>
        Required(name) is JsonObject child
            ? new CaseJson(child, $"{where}.{name}")
            : throw new AnalysisInputException($"{where}: field '{name}' must be an object.");

    public double[] Numbers(string name)
    {
        if (Required(name) is not JsonArray array) throw new AnalysisInputException($"{where}: field '{name}' must be an array.");
        return array.Select((item, i) => item is null
            ? throw new AnalysisInputException($"{where}: {name}[{i}] is null.")
            : AsNumber(item, $"{name}[{i}]")).ToArray();
    }

    private double AsNumber(JsonNode value, string name)
    {
        try
        {
            var number = value.GetValue<double>();
            if (!double.IsFinite(number)) throw new FormatException();
            return number;
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new AnalysisInputException($"{where}: field '{name}' must be a number.", e);
        }
    }
}
