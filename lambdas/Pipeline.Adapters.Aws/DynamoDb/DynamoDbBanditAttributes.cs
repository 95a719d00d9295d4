using Amazon.DynamoDBv2.Model;
using Pipeline.Domain.Experiments.Bandits;
using static Pipeline.Adapters.Aws.DynamoDb.DynamoDbValues;

namespace Pipeline.Adapters.Aws.DynamoDb;

/// <summary>A bandit experiment's settings and weight history as native DynamoDB maps and lists (readable in the console).</summary>
internal static class DynamoDbBanditAttributes
{
    public static AttributeValue ToAttribute(BanditSettings settings) => new()
    {
        M = new()
        {
            ["periodSeconds"] = N(settings.Period.TotalSeconds),
            ["minimumShare"] = N(settings.MinimumShare),
            ["burnInSeconds"] = N(settings.BurnIn.TotalSeconds),
        },
    };

    public static BanditSettings Settings(AttributeValue value) => new(
        TimeSpan.FromSeconds(GetDouble(value.M, "periodSeconds")),
        GetDouble(value.M, "minimumShare"),
        TimeSpan.FromSeconds(GetDouble(value.M, "burnInSeconds")));

    public static AttributeValue ToAttribute(IReadOnlyList<BanditPeriod> history) => new()
    {
        L = [.. history.Select(p => new AttributeValue
        {
            M = new()
            {
                ["period"] = N(p.Number),
                ["startedAt"] = Time(p.StartedAt),
                ["weights"] = new() { L = [.. p.Weights.Select(N)] },
                ["totalsAtStart"] = new()
                {
                    L = [.. p.TotalsAtStart.Select(t => new AttributeValue
                    {
                        M = new() { ["users"] = N(t.Users), ["sum"] = N(t.Sum), ["sumOfSquares"] = N(t.SumOfSquares) },
                    })],
                },
            },
        })],
    };

    public static IReadOnlyList<BanditPeriod> History(AttributeValue value) =>
        [.. (value.L ?? []).Select(p => new BanditPeriod(
            (int)GetLong(p.M, "period"),
            GetTime(p.M, "startedAt"),
            [.. p.M["weights"].L.Select(w => double.Parse(w.N, System.Globalization.CultureInfo.InvariantCulture))],
            [.. p.M["totalsAtStart"].L.Select(t => new BanditArmTotals(GetLong(t.M, "users"), GetDouble(t.M, "sum"), GetDouble(t.M, "sumOfSquares")))]))];
}
