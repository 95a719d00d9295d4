using System.Text.Json.Nodes;

namespace Pipeline.Domain.Tests.Experiments.Conformance;

internal static class JsonCaseExtensions
{
    public static double[] ToDoubles(this JsonNode? node) =>
        node?.AsArray().Select(x => x!.GetValue<double>()).ToArray() ?? [];

    public static double[][] ToRanges(this JsonNode? node) =>
        node?.AsArray().Select(r => r.ToDoubles()).ToArray() ?? [];
}
