using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace NeuralFit.Benchmarking;

/// <summary>The processor `neuralfit bench` ran on, in a few words for its header and JSON: the model the operating
/// system reports (Linux: /proc/cpuinfo; a virtual machine may shorten it) and the vector extensions the kernels use.</summary>
internal static class MachineName
{
    public static string Describe()
    {
        string model = Model() ?? RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        string vectors = Avx512F.IsSupported ? "AVX-512" : Avx2.IsSupported && Fma.IsSupported ? "AVX2 + FMA" : RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        return $"{model} ({vectors})";
    }

    static string? Model()
    {
        try
        {
            if (!OperatingSystem.IsLinux() || !File.Exists("/proc/cpuinfo")) return null;
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
                if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':') is int colon and >= 0)
                    return line[(colon + 1)..].Trim() is { Length: > 0 } name ? name : null;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }
}
