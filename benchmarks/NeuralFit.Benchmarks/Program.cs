using BenchmarkDotNet.Running;
using NeuralFit.Benchmarks;

// dotnet run -c Release --project benchmarks/NeuralFit.Benchmarks -- --filter '*'
// dotnet run -c Release --project benchmarks/NeuralFit.Benchmarks -- pass-ns [threads] [rounds]   (PassTimer)
if (args is ["pass-ns", ..]) PassTimer.Run(args);
else if (args is ["tanh"]) TanhProbe.Run();
else BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
