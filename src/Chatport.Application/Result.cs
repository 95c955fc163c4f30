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
}

/// <summary>The result of an action: a value, or why there is none, in plain words.</summary>
public sealed record Result<T>(ResultStatus Status, T? Value, string? Title = null, string? Detail = null, IDictionary<string, string[]>? Errors = null)
{
    public bool Succeeded => Status is ResultStatus.Ok or ResultStatus.Created;

    public static Result<T> Ok(T value) => new(ResultStatus.Ok, value);

    public static Result<T> Created(T value) => new(ResultStatus.Created, value);

    public static Result<T> NotFound(string detail) => new(ResultStatus.NotFound, default, Detail: detail);

    public static Result<T> Invalid(IDictionary<string, string[]> errors, string? detail = null) => new(ResultStatus.Invalid, default, Detail: detail, Errors: errors);

    public static Result<T> Invalid(string field, string message) => Invalid(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>Wrong as a whole, not one field's fault.</summary>
    public static Result<T> Invalid(string detail) => new(ResultStatus.Invalid, default, Detail: detail);

    public static Result<T> Refused(string title, string detail) => new(ResultStatus.Refused, default, title, detail);
}
