namespace Pipeline.Domain.Experiments;

/// <summary>The half-open slice [Start, End) of the hash space that is assigned to one variant.</summary>
public readonly record struct BucketRange(double Start, double End)
{
    public bool Contains(double n) => n >= Start && n < End;
}
