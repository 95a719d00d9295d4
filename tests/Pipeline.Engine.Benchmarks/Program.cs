using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/Pipeline.Engine.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Pipeline.Engine.Benchmarks.ScoringBenchmarks).Assembly).Run(args);
