namespace NeuralFit;

/// <summary>
/// Bad input from the user: a malformed expression, setting, file or flag. The message is one line that names
/// what is wrong and where; the command line prints it and exits with code 2. This is the only exception type
/// the library throws for input it was given.
/// </summary>
public sealed class InputError(string message) : Exception(message);
