using NeuralFit.Configuration;

namespace NeuralFit.Tests.Configuration;

/// <summary>Settings read through the table: whole numbers of any size get a range message, and every seed it
/// accepts is its own.</summary>
public class SettingsTests
{
    static FitOptions Read(string key, string text) => ConfigReader.Apply(new FitOptions(), key, new FlagValue(Settings.ByKey[key].Flag, [text]), "flags");

    [Theory]
    [InlineData("steps", "1e23", "--steps: must be at most 1,000,000,000, got 1e+23")]
    [InlineData("batchSize", "99999999999", "--batch: must be at most 10,000,000, got 99,999,999,999")]
    [InlineData("samples", "-1e300", "--samples: must be at least 1, got -1e+300")]
    [InlineData("seed", "-1", "--seed: must be at least 0, got -1")]
    [InlineData("evalPoints", "2.5", "--eval-points: expected a whole number, got 2.5")]
    [InlineData("layers", "1e30", "--layers: must be at most 1,000,000 units, got 1e+30")]
    public void WholeNumbersOfAnySizeGetARangeMessage(string key, string text, string message) =>
        Assert.StartsWith(message, Assert.Throws<InputError>(() => Read(key, text)).Message);

    /// <summary>Seeds beyond 2³¹ were once clamped to int.MaxValue, so all of them ran the same run.</summary>
    [Fact]
    public void EverySeedIsItsOwn()
    {
        Assert.Equal(3_000_000_000UL, Read("seed", "3000000000").Seed);
        Assert.Equal(1UL << 53, Read("seed", "9007199254740992").Seed);
    }
}
