namespace Chatport.Delivery.Signing;

/// <summary>
/// The outcome of <see cref="WebhookVerifier.Verify"/>: either valid, or invalid with a short human-readable
/// reason (it never contains the secret or the signatures).
/// </summary>
/// <param name="IsValid"><see langword="true"/> when the delivery is authentic and fresh.</param>
/// <param name="Error">Why the delivery was refused; <see langword="null"/> when <paramref name="IsValid"/> is true.</param>
public sealed record WebhookVerification(bool IsValid, string? Error)
{
    /// <summary>The result of a delivery that passed every check.</summary>
    public static WebhookVerification Valid { get; } = new(true, null);

    /// <summary>Creates the result of a refused delivery.</summary>
    /// <param name="error">Why the delivery was refused.</param>
    /// <returns>An invalid result carrying <paramref name="error"/>.</returns>
    public static WebhookVerification Invalid(string error)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(error);
        return new WebhookVerification(false, error);
    }
}
