namespace NeuralFit.Tests.Cli;

/// <summary>The journal of doctor and seed: a folder given for it that cannot hold it is bad input, said in one line.</summary>
public class JournalTests
{
    [Theory]
    [InlineData("doctor", "--target", "x", "--steps", "5")]
    [InlineData("seed", "--seeds", "1")]
    public void AJournalFolderThatCannotBeMadeIsBadInput(params string[] command)
    {
        string file = Path.GetTempFileName(); // a file where the folder should go
        try
        {
            CliRunner.AssertCleanError(CliRunner.Run([.. command, "--journal", Path.Combine(file, "journal")]), "--journal");
        }
        finally { File.Delete(file); }
    }
}
