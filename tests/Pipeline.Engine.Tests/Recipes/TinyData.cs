using Pipeline.Engine.Datasets;

namespace Pipeline.Engine.Tests.Recipes;

/// <summary>Small hand-made interaction sets whose co-occurrences are easy to count by hand.</summary>
internal static class TinyData
{
    /// <summary>
    /// u1: A B C · u2: A B · u3: A B D · u4: A C · u5: B C. Users per item: A 4, B 4, C 3, D 1.
    /// Co-occurrence: AB 3, AC 2, AD 1, BC 2, BD 1, CD 0.
    /// </summary>
    public static InteractionDataset FiveUsers() => Build(
        ("u1", "A"), ("u1", "B"), ("u1", "C"), ("u2", "A"), ("u2", "B"), ("u3", "A"), ("u3", "B"), ("u3", "D"),
        ("u4", "A"), ("u4", "C"), ("u5", "B"), ("u5", "C"));

    public static InteractionDataset Build(params (string User, string Item)[] rows)
    {
        var builder = new InteractionDatasetBuilder();
        var time = 1_700_000_000L;
        foreach (var (user, item) in rows) builder.Add(user, item, time++, "view");
        return builder.Build();
    }
}
