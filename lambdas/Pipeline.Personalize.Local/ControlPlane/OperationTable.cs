using System.Text.Json.Nodes;
using Pipeline.Personalize.Local.Json;

namespace Pipeline.Personalize.Local.ControlPlane;

/// <summary>One control-plane operation: the parsed request in, the response members out.</summary>
public delegate Task<JsonObject> Operation(Request request, CancellationToken cancellationToken);

/// <summary>The operations by their Personalize name (the part after <c>AmazonPersonalize.</c> in X-Amz-Target).</summary>
public sealed class OperationTable
{
    private readonly Dictionary<string, Operation> _operations = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Names => _operations.Keys;

    public void Add(string name, Operation operation) => _operations.Add(name, operation);

    /// <summary>For operations that do no asynchronous work before answering.</summary>
    public void Add(string name, Func<Request, JsonObject> operation) => Add(name, Immediate(operation));

    /// <summary>
    /// A resource kind's operations under the names Personalize gives them: Create{kind}, Describe{kind}, List{kind}s
    /// and, for kinds that can be deleted, Delete{kind}.
    /// </summary>
    public void AddResource(string kind, Operation create, Func<Request, JsonObject> describe, Func<Request, JsonObject> list, Operation? delete = null)
    {
        Add("Create" + kind, create);
        Add("Describe" + kind, describe);
        Add("List" + kind + "s", list);
        if (delete is not null) Add("Delete" + kind, delete);
    }

    public static Operation Immediate(Func<Request, JsonObject> operation) => (request, _) => Task.FromResult(operation(request));

    public Operation? Find(string name) => _operations.GetValueOrDefault(name);
}
