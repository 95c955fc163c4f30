namespace Chatport.Portal;

/// <summary>
/// The portal's words. A page asks for a text by its English wording (<c>T["Sign in"]</c>), which is also what it shows
/// in English; every other language is one resource file beside this one (<c>PortalTexts.es.resx</c>), keyed by that
/// English text. <c>PortalTextsTests</c> checks that each text a page uses has its Spanish.
/// </summary>
internal sealed class PortalTexts;
