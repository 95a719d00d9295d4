namespace Pipeline.Workflows.Tests;

/// <summary>This assembly's synth collection: xunit reads collection definitions only from the test assembly itself.</summary>
[CollectionDefinition(SynthCollection.Name)]
public sealed class SynthCollectionDefinition : SynthCollection;
