namespace Pipeline.Api.Tests;

/// <summary>
/// One moto_server (<see cref="MotoServer"/>, tests/Pipeline.Testing) for every test class that names this collection. xunit
/// finds collection definitions only in the test assembly itself, so this one line of wiring is not shared.
/// </summary>
[CollectionDefinition(Name)]
public sealed class MotoCollection : ICollectionFixture<MotoServer>
{
    public const string Name = "moto";
}
