using Chatport.Hosting;

namespace Chatport.Tests.Hosting;

// The variable is process-wide: these tests set it back as they found it. The runtime read it once, at this
// process's first socket, so changing it here affects nothing else.
[Collection(nameof(InlineSocketCompletionsTests))]
public sealed class InlineSocketCompletionsTests
{
    [Fact]
    public void Turns_inline_completions_on_when_the_environment_is_silent() =>
        WithVariable(null, () =>
        {
            InlineSocketCompletions.EnableUnlessSet();
            Assert.Equal("1", Environment.GetEnvironmentVariable(InlineSocketCompletions.Variable));
        });

    [Fact]
    public void Leaves_an_operators_choice_alone() =>
        WithVariable("0", () =>
        {
            InlineSocketCompletions.EnableUnlessSet();
            Assert.Equal("0", Environment.GetEnvironmentVariable(InlineSocketCompletions.Variable));
        });

    private static void WithVariable(string? value, Action test)
    {
        var before = Environment.GetEnvironmentVariable(InlineSocketCompletions.Variable);
        Environment.SetEnvironmentVariable(InlineSocketCompletions.Variable, value);
        try
        {
            test();
        }
        finally
        {
            Environment.SetEnvironmentVariable(InlineSocketCompletions.Variable, before);
        }
    }
}
