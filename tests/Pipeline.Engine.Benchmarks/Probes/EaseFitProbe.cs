using System.Diagnostics;
using Pipeline.Engine.Recipes;

namespace Pipeline.Engine.Benchmarks.Probes;

/// <summary>
/// Times one single-λ EASE fit (XᵀX, the n×n SPD inverse, B) at <c>--items</c> items (default 9,000) on a random
/// binary matrix (20 items per user, 5 users per item: the inverse's cost does not depend on the data) and prints
/// <c>ease_fit_seconds N</c>, for tests/Pipeline.Engine.Benchmarks/ease-vs-sgemm.sh to put next to numpy's sgemm.
/// </summary>
internal static class EaseFitProbe
{
    public static int Run(ProbeArguments arguments)
    {
        var items = arguments.Int("items", 9000);
        var users = 5 * items;
        var random = new Random(5);
        var lists = new int[users][];
        for (var u = 0; u < users; u++)
        {
            lists[u] = new int[20];
            for (var k = 0; k < 20; k++) lists[u][k] = random.Next(items);
        }
        var matrix = FeedbackMatrix.FromLists([.. Enumerable.Range(0, users).Select(u => "u" + u)], [.. Enumerable.Range(0, items).Select(i => "i" + i)], lists);
        // One small fit first, so the timed one runs optimised code.
        Ease.Train(FeedbackMatrix.FromLists(["a", "b"], ["x", "y", "z"], [[0, 1], [1, 2]]), 10);
        var stopwatch = Stopwatch.StartNew();
        Ease.Train(matrix, 500);
        Console.WriteLine($"ease_fit_seconds {stopwatch.Elapsed.TotalSeconds:F3} items {matrix.ItemCount}");
        return 0;
    }
}
