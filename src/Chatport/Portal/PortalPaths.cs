namespace Chatport.Portal;

/// <summary>The paths the portal owns; everything else (the API, hooks, health, metrics, OpenAPI) never runs its middleware.</summary>
internal static class PortalPaths
{
    public const string Login = "/login";
    public const string Logout = "/logout";
    public const string Assets = "/portal";

    public static bool Owns(PathString path) =>
        path == "/" || path.StartsWithSegments(Login) || path.StartsWithSegments(Logout)
        || path.StartsWithSegments("/accounts") || path.StartsWithSegments(Assets);

    /// <summary>A return address that stays on this site (a path, not //host or a scheme), or the home page.</summary>
    public static string LocalOrHome(string? returnUrl) =>
        returnUrl is { Length: > 0 and <= 2048 } && returnUrl[0] == '/' && !returnUrl.StartsWith("//", StringComparison.Ordinal)
            && !returnUrl.StartsWith("/\\", StringComparison.Ordinal) && !returnUrl.Any(char.IsControl)
            ? returnUrl
            : "/";
}
