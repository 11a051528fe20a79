using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/NeuralFit.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
