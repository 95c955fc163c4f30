using System.Globalization;
using System.Reflection;
using Chatport.Portal.Auth;
using Microsoft.AspNetCore.Localization;
using EntityTagHeaderValue = Microsoft.Net.Http.Headers.EntityTagHeaderValue;

namespace Chatport.Portal;

/// <summary>
/// The web portal, served by <c>chatport serve</c> beside the API: Razor Pages rendered on the server (no script of
/// its own), in English or Spanish, behind a sign-in with an API key. Its pages call the application services the API
/// calls — never a rule of their own. Only <see cref="PortalPaths"/> run its middleware.
/// </summary>
internal static class PortalExtensions
{
    public static readonly CultureInfo[] Languages = [new("en"), new("es")];

    public const string LanguageCookie = "chatport_language";

    public static WebApplicationBuilder AddChatportPortal(this WebApplicationBuilder builder)
    {
        builder.AddPortalAuth();
        // The cookie's keys live in the store: a restart keeps people signed in, and every node reads the others' cookies.
        builder.AddChatportDataProtection();
        builder.Services.AddLocalization();
        // Pages keep their accented letters as they are (HTML needs only <, >, & and quotes escaped).
        builder.Services.AddSingleton(System.Text.Encodings.Web.HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All));
        builder.Services.AddRazorPages(options =>
        {
            options.RootDirectory = "/Portal/Pages";
            options.Conventions.AuthorizeFolder("/", PortalAuth.Policy);
            options.Conventions.AllowAnonymousToPage("/Login");
        })
            .AddMvcOptions(options => options.Filters.Add<FormRefusedFilter>())
            // The pages are compiled into this assembly; named, so they are found when another assembly hosts the app (the tests).
            .AddApplicationPart(typeof(PortalExtensions).Assembly)
            .AddViewLocalization();
        builder.Services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "chatport_antiforgery";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.FormFieldName = "__antiforgery";
        });
        builder.Services.Configure<RequestLocalizationOptions>(options =>
        {
            options.SetDefaultCulture("en");
            options.SupportedCultures = Languages;
            options.SupportedUICultures = Languages;
            options.FallBackToParentCultures = true;
            options.FallBackToParentUICultures = true;
            // The switch on every page sets the cookie; without it, the browser's Accept-Language chooses.
            options.RequestCultureProviders =
            [
                new CookieRequestCultureProvider { CookieName = LanguageCookie },
                new AcceptLanguageHeaderRequestCultureProvider(),
            ];
        });
        return builder;
    }

    /// <summary>The language, the security headers and the stylesheet for the portal's paths; then its pages.</summary>
    public static WebApplication UseChatportPortal(this WebApplication app)
    {
        app.UseWhen(context => PortalPaths.Owns(context.Request.Path), portal =>
        {
            portal.UseRequestLocalization();
            portal.Use((context, next) =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "same-origin";
                headers.XFrameOptions = "DENY";
                return next(context);
            });
        });
        return app;
    }

    public static WebApplication MapChatportPortal(this WebApplication app)
    {
        var css = ReadAsset("portal.css");
        var etag = new EntityTagHeaderValue("\"" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(css))[..16] + "\"");
        app.MapGet(PortalPaths.Assets + "/portal.css", (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.Bytes(css, "text/css; charset=utf-8", entityTag: etag);
        }).ExcludeFromDescription();
        app.MapGet(PortalPaths.Assets + "/language/{name}", (string name, string? returnUrl, HttpContext context) =>
        {
            var culture = Languages.FirstOrDefault(l => l.Name == name) ?? Languages[0];
            context.Response.Cookies.Append(LanguageCookie, CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = context.Request.IsHttps, MaxAge = TimeSpan.FromDays(365), IsEssential = true });
            return Results.LocalRedirect(PortalPaths.LocalOrHome(returnUrl));
        }).ExcludeFromDescription();
        app.MapRazorPages();
        return app;
    }

    private static byte[] ReadAsset(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Chatport.Portal.Assets." + name)
            ?? throw new InvalidOperationException($"The portal's {name} is missing from the build.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
