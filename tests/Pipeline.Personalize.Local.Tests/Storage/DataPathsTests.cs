using Pipeline.Personalize.Local.Errors;
using Pipeline.Personalize.Local.Storage;

namespace Pipeline.Personalize.Local.Tests.Storage;

public sealed class DataPathsTests
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "pipeline-paths-" + Guid.NewGuid().ToString("N"));
    private readonly DataPaths _paths = new(new LocalPersonalizeOptions { DataDirectory = Root });

    [Theory]
    [InlineData("s3://../s3-evil/x.csv")]
    [InlineData("s3://../x.csv")]
    [InlineData("s3://bucket/../../s3x/y.csv")]
    [InlineData("s3://..")]
    public void Resolve_WhenTheKeyLeavesTheS3Root_IsInvalidInput_WithoutTheLocalPath(string location)
    {
        var error = Assert.Throws<PersonalizeException>(() => _paths.Resolve(location));

        Assert.Equal(ErrorTypes.InvalidInput, error.ErrorType);
        Assert.DoesNotContain(Root, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_InsideTheS3Root_MapsBucketAndKey()
    {
        Assert.Equal(Path.Combine(Root, "s3", "bucket", "data", "x.csv"), _paths.Resolve("s3://bucket/data/x.csv"));
    }
}
