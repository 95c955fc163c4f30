namespace Chatport.Application;

/// <summary>How an action ended; each front end (HTTP, portal, command line) says it its own way.</summary>
public enum ResultStatus
{
    /// <summary>Done; <see cref="Result{T}.Value"/> is the answer.</summary>
    Ok,

    /// <summary>Done, and something new exists; <see cref="Result{T}.Value"/> is it.</summary>
    Created,

    /// <summary>What the action is about does not exist (or is not the caller's to see).</summary>
    NotFound,

    /// <summary>The request is wrong; <see cref="Result{T}.Errors"/> says how, by field (or <see cref="Result{T}.Detail"/> alone).</summary>
    Invalid,

    /// <summary>The request is right but not allowed (a plan that does not include it).</summary>
    Refused,

    /// <summary>
    /// The request is right, but the account already has as many of what it makes as a limit allows
    /// (<see cref="LimitsOptions"/>); deleting one makes room. <see cref="Result{T}.Limit"/> names the setting.
    /// </summary>
    LimitReached,
}

/// <summary>The result of an action: a value, or why there is none, in plain words.</summary>
public sealed record Result<T>(ResultStatus Status, T? Value, string? Title = null, string? Detail = null, IDictionary<string, string[]>? Errors = null)
{
    public bool Succeeded => Status is ResultStatus.Ok or ResultStatus.Created;

    /// <summary>For <see cref="ResultStatus.LimitReached"/>: the setting that sets the limit (<c>Chatport:Limits:DestinationsPerAccount</c>) and its value.</summary>
    public (string Setting, int Max)? Limit { get; init; }

    public static Result<T> Ok(T value) => new(ResultStatus.Ok, value);

    public static Result<T> Created(T value) => new(ResultStatus.Created, value);

    public static Result<T> NotFound(string detail) => new(ResultStatus.NotFound, default, Detail: detail);

    public static Result<T> Invalid(IDictionary<string, string[]> errors, string? detail = null) => new(ResultStatus.Invalid, default, Detail: detail, Errors: errors);

    public static Result<T> Invalid(string field, string message) => Invalid(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>Wrong as a whole, not one field's fault.</summary>
    public static Result<T> Invalid(string detail) => new(ResultStatus.Invalid, default, Detail: detail);

    public static Result<T> Refused(string title, string detail) => new(ResultStatus.Refused, default, title, detail);

    /// <summary>The account has <paramref name="max"/> of <paramref name="things"/> already, the most <paramref name="setting"/> allows.</summary>
    public static Result<T> LimitReached(long accountId, string things, string setting, int max, string remedy = "delete one first") =>
        new(ResultStatus.LimitReached, default, $"Too many {things}",
            $"Account {accountId} has {max} {things}, the most one account may have ({LimitsOptions.Section}:{setting} is {max}); {remedy}.")
        {
            Limit = ($"{LimitsOptions.Section}:{setting}", max),
        };
}
