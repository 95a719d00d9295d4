using Pipeline.Domain.Catalog;

namespace Pipeline.Engine.Datasets;

/// <summary>Reads a Personalize users CSV into Domain users: USER_ID required, every other column an attribute.</summary>
public static class UsersCsv
{
    public static IReadOnlyList<User> Read(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream, Path.GetFileName(path));
    }

    public static IReadOnlyList<User> Read(Stream stream, string sourceName)
    {
        var users = new List<User>();
        foreach (var row in CsvRows.Read(stream, sourceName, "USER_ID"))
            users.Add(new User(row.Id, row.AttributesExceptId()));
        return users;
    }
}
