namespace Chatport.Api;

/// <summary>
/// The errors of one request as an answer lists them: the first <see cref="Shown"/>, and how many there were in all
/// (docs/architecture.md, *Conventions*: every list in an answer has a limit). A body of a million bad items is a
/// million counted, a hundred kept: past the first hundred, callers count with <see cref="Skip"/> and build nothing.
/// </summary>
internal sealed class ErrorList<T>
{
    /// <summary>How many errors an answer lists.</summary>
    public const int Shown = 100;

    /// <summary>The first errors, at most <see cref="Shown"/>, in the order they were found.</summary>
    public List<T> First { get; } = [];

    /// <summary>Every error found, listed or not.</summary>
    public int Count { get; private set; }

    /// <summary>Whether the list is full, so that an error found now is only counted.</summary>
    public bool IsFull => First.Count >= Shown;

    public void Add(T error)
    {
        Count++;
        if (!IsFull)
        {
            First.Add(error);
        }
    }

    /// <summary>Counts an error past the first <see cref="Shown"/> without it being built.</summary>
    public void Skip() => Count++;

    /// <summary>The problem detail's extensions: <c>errors</c> (the first ones) and <c>errorCount</c> (all of them).</summary>
    public Dictionary<string, object?> Extensions() => new() { ["errors"] = First, ["errorCount"] = Count };

    /// <summary>Said after the count in a problem's detail when not every error is listed: <c> (the first 100 are listed in errors)</c>.</summary>
    public string Listed => Count > First.Count ? $" (the first {First.Count} are listed in errors)" : "";
}
