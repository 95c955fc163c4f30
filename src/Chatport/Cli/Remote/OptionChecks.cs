using System.CommandLine;

namespace Chatport.Cli.Remote;

/// <summary>An option's own check, run on the value given (a default needs none).</summary>
internal static class OptionChecks
{
    public static Option<T> Check<T>(this Option<T> option, Func<T, bool> valid, string error)
    {
        option.Validators.Add(result =>
        {
            if (!valid(result.GetValueOrDefault<T>()))
            {
                result.AddError(error);
            }
        });
        return option;
    }
}
