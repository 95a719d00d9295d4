namespace Pipeline.Engine.Datasets;

/// <summary>How much synthetic data to generate; the seed alone decides every byte.</summary>
public sealed record SyntheticDataOptions(int Users = 1000, int Items = 1000, int Interactions = 25000, int Seed = 42)
{
    /// <summary>Throws <see cref="ArgumentException"/> with a one-line message when the counts cannot be generated.</summary>
    public void Validate()
    {
        if (Users <= 0) throw new ArgumentException($"users must be at least 1 (got {Users}).", nameof(Users));
        if (Items <= 0) throw new ArgumentException($"items must be at least 1 (got {Items}).", nameof(Items));
        if (Interactions <= 0) throw new ArgumentException($"interactions must be at least 1 (got {Interactions}).", nameof(Interactions));
        // Every user appears in the interactions file, so each needs at least one row.
        if (Interactions < Users)
            throw new ArgumentException($"interactions ({Interactions}) must be at least the number of users ({Users}).", nameof(Interactions));
    }
}
