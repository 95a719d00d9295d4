namespace Pipeline.Domain.Storage;

/// <summary>
/// Objects by bucket and key, as S3 keeps them: the import files the in-house trainer reads and the model artifacts and
/// manifest it writes and the API reads. S3 implements it on AWS, a folder (<c>&lt;root&gt;/bucket/key</c>) on one machine.
/// </summary>
public interface IObjectStore
{
    /// <summary>The object's bytes, or null when there is no such object.</summary>
    Task<byte[]?> GetAsync(string bucket, string key, CancellationToken cancellationToken = default);

    /// <summary>Writes the whole object at once: a reader sees the old bytes or the new ones, never a part.</summary>
    Task PutAsync(string bucket, string key, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken = default);
}

/// <summary>An <c>s3://bucket/key</c> location.</summary>
public readonly record struct ObjectLocation(string Bucket, string Key)
{
    public static bool TryParse(string? uri, out ObjectLocation location)
    {
        location = default;
        if (uri is null || !uri.StartsWith("s3://", StringComparison.Ordinal)) return false;
        var rest = uri["s3://".Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == rest.Length - 1) return false;
        location = new ObjectLocation(rest[..slash], rest[(slash + 1)..]);
        return true;
    }

    public override string ToString() => $"s3://{Bucket}/{Key}";
}
