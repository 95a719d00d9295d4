namespace Pipeline.Domain.Recommendations;

/// <summary>
/// A model that kept its training users' histories in time order, so the newest item a user interacted with
/// before training can seed similar-items when the live events know nothing of the user.
/// </summary>
public interface ITrainingHistory
{
    /// <summary>The user's newest item in the training data, or null for a user the model did not train on.</summary>
    string? MostRecentItem(string userId);
}
