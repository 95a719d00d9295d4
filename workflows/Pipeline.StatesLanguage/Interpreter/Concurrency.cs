namespace Pipeline.StatesLanguage.Interpreter;

internal static class Concurrency
{
    /// <summary>
    /// Starts concurrent work (a Parallel branch, a Map iteration). Under a synchronization context, such as a test's
    /// deterministic scheduler, the work starts inline and continues on that context; otherwise on the thread pool.
    /// </summary>
    public static Task<T> Start<T>(Func<Task<T>> work) =>
        SynchronizationContext.Current is null && TaskScheduler.Current == TaskScheduler.Default ? Task.Run(work) : work();
}
