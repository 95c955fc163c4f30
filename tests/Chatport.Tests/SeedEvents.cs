namespace Chatport.Tests;

/// <summary>The seed sample, told as the live events a chat platform would send (docs/architecture.md, "The tracker's rules").</summary>
internal static class SeedEvents
{
    /// <summary>The sample as one line, non-ASCII kept as text: what Chatport writes.</summary>
    public static string CompactSample() => Compact(File.ReadAllText(SamplePath));

    public static string Compact(string json) => System.Text.Json.Nodes.JsonNode.Parse(json)!.ToJsonString(
        new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    public static string SamplePath => Path.Combine(AppContext.BaseDirectory, "schemas", "examples", "seed-sample.json");

    /// <summary>Every event of the sample's chat, in order, as a JSON array.</summary>
    public static string All(long accountId = 208, long chatId = 55039, string idPrefix = "seed") => $"[{string.Join(",", Events(accountId, chatId, idPrefix))}]";

    public static IEnumerable<string> Events(long accountId, long chatId, string idPrefix)
    {
        string E(string id, long at, string type, string rest) =>
            $$"""{"id":"{{idPrefix}}-{{id}}","accountId":{{accountId}},"chatId":{{chatId}},"at":{{at}},"type":"{{type}}"{{rest}}}""";

        yield return E("visitor", 1427470439000, "visitor", """
            ,"visitor":{"id":27671,"name":"Dusan Kmet","email":"dusan@domain.com","note":"VIP customer","group":null,"ipAddress":"89.235.0.55","city":"Czech Republic","countryCode":"CZ","country":"Brno","userAgent":"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_8_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/41.0.2272.89 Safari/537.36","platform":"MacIntel","referer":"","variables":{"chatId":{"label":"Chat ID","value":208},"chatPackage":{"label":"Chat Package","value":"pro"},"userId":{"label":"User ID","value":"1234"}}}
            """);
        yield return E("page1", 1427470439100, "page", ""","page":{"url":"http://developers.smartsupp.com/smartsupp/hook-post","title":"POST Hook · Smartsupp"}""");
        yield return E("page2", 1427470439200, "page", ""","page":{"url":"http://developers.smartsupp.com","title":"API · Smartsupp"}""");
        yield return E("m1", 1427470439703, "message", ""","message":{"type":"visitor","from":"visitor:mxTiqn9adr2h39kmzAJ0FeaTGFJhmjio0R41491503012015","content":"Hello","triggeredBy":null}""");
        yield return E("m2", 1427470446219, "message", ""","message":{"type":"system","name":"John Doe","from":"agent:3","content":"agent.join","triggeredBy":null}""");
        yield return E("m3", 1427470449706, "message", ""","message":{"type":"agent","name":"","from":"system","content":"This is triggered message","triggeredBy":"Test Trigger"}""");
        yield return E("m4", 1427470453772, "message", ""","message":{"type":"agent","name":"John Doe","from":"agent:3","content":"Hi, how can i help you ?","triggeredBy":null}""");
        yield return E("m5", 1427470473124, "message", ""","message":{"type":"visitor","name":"Dusan Kmet","from":"visitor:mxTiqn9adr2h39kmzAJ0FeaTGFJhmjio0R41491503012015","content":"tanks.","triggeredBy":null}""");
        yield return E("rating", 1427470475000, "rating", ""","rating":{"rating":5}""");
        yield return E("close", 1427470476687, "close", ""","close":{"by":"visitor"}""");
    }
}
