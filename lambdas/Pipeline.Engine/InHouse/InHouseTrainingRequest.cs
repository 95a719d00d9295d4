using Pipeline.Domain.Storage;

namespace Pipeline.Engine.InHouse;

/// <summary>What the in-house trainer trains on: the import's interactions and items files, either may be absent.</summary>
public sealed record InHouseTrainingRequest(ObjectLocation? Interactions, ObjectLocation? Items);
