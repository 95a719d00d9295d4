using Pipeline.Personalize.Local.Errors;

namespace Pipeline.Personalize.Local.Storage;

/// <summary>Where imported data and trained models are kept, and how an <c>s3://</c> URL maps to the local S3 root.</summary>
public sealed class DataPaths(LocalPersonalizeOptions options)
{
    public string Root { get; } = Path.GetFullPath(options.DataDirectory);
    public string S3Root { get; } = Path.GetFullPath(options.ResolvedS3Root);

    /// <summary>The current data of a dataset: one CSV per dataset, replaced by FULL imports and appended to by INCREMENTAL ones and by events.</summary>
    public string DatasetFile(string datasetArn) => Path.Combine(Root, "datasets", FileName(Arns.ResourcePart(datasetArn)) + ".csv");

    public string ModelFile(string solutionVersionArn) => Path.Combine(Root, "models", FileName(Arns.ResourcePart(solutionVersionArn)) + ".model");

    /// <summary>A local path for <c>s3://bucket/key</c>, <c>file://</c> URLs and plain paths.</summary>
    public string Resolve(string location)
    {
        if (location.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            var relative = location["s3://".Length..].TrimStart('/');
            if (relative.Length == 0) throw PersonalizeException.InvalidInput($"{location} names no bucket.");
            var path = Path.GetFullPath(Path.Combine(S3Root, relative));
            // A key with ".." must not escape the S3 root, nor reach a sibling folder whose name starts with the root's
            // ("s3://../s3-evil/x" against ".../s3"): the root is compared with its separator. The message names the URL only.
            if (!path.StartsWith(S3Root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                throw PersonalizeException.InvalidInput($"{location} is outside the S3 root.");
            return relative.EndsWith('/') ? path + Path.DirectorySeparatorChar : path;
        }
        if (location.StartsWith("file://", StringComparison.OrdinalIgnoreCase)) return new Uri(location).LocalPath;
        return Path.GetFullPath(location);
    }

    private static string FileName(string resourcePart) => resourcePart.Replace('/', '_');
}
