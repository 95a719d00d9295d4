namespace Pipeline.Domain.Experiments.Bandits;

/// <summary>
/// Thompson sampling's allocation: each arm's weight is the posterior probability that its mean is the largest,
/// estimated from normal posteriors (mean, standard error) with a fixed number of draws from a seeded generator (the
/// same inputs give the same weights), then floored at the minimum share.
/// </summary>
public static class ThompsonWeights
{
    public const int Draws = 20_000;

    public static double[] ProbabilityBest(IReadOnlyList<(double Mean, double StandardError)> arms, int seed)
    {
        var random = new Random(seed);
        var wins = new double[arms.Count];
        for (var d = 0; d < Draws; d++)
        {
            var best = 0;
            var bestValue = double.NegativeInfinity;
            for (var k = 0; k < arms.Count; k++)
            {
                var value = arms[k].Mean + arms[k].StandardError * Gaussian(random);
                if (value > bestValue) (best, bestValue) = (k, value);
            }
            wins[best]++;
        }
        return [.. wins.Select(w => w / Draws)];
    }

    /// <summary>Raises arms below <paramref name="minimumShare"/> to it and shares the rest in proportion, rounded to 4 decimals summing to 1.</summary>
    public static double[] Floor(IReadOnlyList<double> probabilities, double minimumShare)
    {
        var weights = probabilities.ToArray();
        var floored = new bool[weights.Length];
        for (var changed = true; changed;)
        {
            changed = false;
            var free = 1 - minimumShare * floored.Count(f => f);
            var mass = weights.Where((_, k) => !floored[k]).Sum();
            for (var k = 0; k < weights.Length; k++)
            {
                if (floored[k]) continue;
                var share = mass > 0 ? probabilities[k] / mass * free : free / floored.Count(f => !f);
                if (share < minimumShare)
                {
                    floored[k] = true;
                    changed = true;
                }
            }
            if (!changed)
                for (var k = 0; k < weights.Length; k++)
                    weights[k] = floored[k] ? minimumShare : mass > 0 ? probabilities[k] / mass * free : free / floored.Count(f => !f);
        }
        var rounded = weights.Select(w => Math.Round(w, 4)).ToArray();
        var largest = Array.IndexOf(rounded, rounded.Max());
        rounded[largest] = Math.Round(rounded[largest] + 1 - rounded.Sum(), 4);
        return rounded;
    }

    private static double Gaussian(Random random)
    {
        var u1 = 1 - random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * random.NextDouble());
    }
}
