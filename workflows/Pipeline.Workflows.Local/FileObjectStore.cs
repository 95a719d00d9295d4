using Pipeline.Domain.Storage;

namespace Pipeline.Workflows.Local;

/// <summary>
/// The object store on one machine: <c>s3://bucket/key</c> is <c>&lt;root&gt;/bucket/key</c>, the local Personalize's own
/// mapping, so the in-house trainer reads the same import files the local Personalize imports.
/// </summary>
public sealed class FileObjectStore(string root) : IObjectStore
{
    private readonly string _root = Path.GetFullPath(root);

    public async Task<byte[]?> GetAsync(string bucket, string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(bucket, key);
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellationToken) : null;
    }

    public async Task PutAsync(string bucket, string key, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken = default)
    {
        var path = PathOf(bucket, key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Written beside the target and moved into place: a reader sees the old object or the new one.
        var temporary = path + $".{Guid.NewGuid():N}.tmp";
        await File.WriteAllBytesAsync(temporary, content.ToArray(), cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    private string PathOf(string bucket, string key)
    {
        var path = Path.GetFullPath(Path.Combine(_root, bucket, key));
        return path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path
            : throw new ArgumentException($"s3://{bucket}/{key} is outside the object store's root.");
    }
}
