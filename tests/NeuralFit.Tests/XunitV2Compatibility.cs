// xunit v3 moved ITestOutputHelper from Xunit.Abstractions into Xunit (a global using here). This empty namespace
// keeps a test file written against v2's `using Xunit.Abstractions;` compiling while branches started before the move
// merge; it can go once no file names it.
namespace Xunit.Abstractions
{
    static class V2NamespaceKept;
}
