using System.Text;

namespace Chatport.Application.Destinations;

/// <summary>What "send a test" sends: the seed's sample conversation, under the destination's account.</summary>
public static class TestConversation
{
    /// <summary>The test's chat id (the sample's), so receivers can recognize and discard it.</summary>
    public const long ChatId = 55039;

    public static byte[] For(long accountId) => Encoding.UTF8.GetBytes(
        "{\"accountId\":" + accountId.ToString(System.Globalization.CultureInfo.InvariantCulture) + Rest);

    private const string Rest = ""","beginAt":1427470439703,"endAt":1427470476687,"channel":{"id":55039,"isChat":true,"isMissed":false,"isTriggered":true,"isOffline":false,"isCompleted":true,"isDropped":false,"duration":36,"avgResponse":14,"firstResponse":14,"messagesCount":5,"wordsCount":11,"rating":5,"ratingDesc":""},"visitor":{"id":27671,"name":"Dusan Kmet","email":"dusan@domain.com","note":"VIP customer","group":null,"ipAddress":"89.235.0.55","city":"Czech Republic","countryCode":"CZ","country":"Brno","userAgent":"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_8_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/41.0.2272.89 Safari/537.36","platform":"MacIntel","referer":"","variables":{"chatId":{"label":"Chat ID","value":208},"chatPackage":{"label":"Chat Package","value":"pro"},"userId":{"label":"User ID","value":"1234"}}},"paths":[{"url":"http://developers.smartsupp.com/smartsupp/hook-post","title":"POST Hook · Smartsupp"},{"url":"http://developers.smartsupp.com","title":"API · Smartsupp"}],"messages":[{"type":"visitor","from":"visitor:mxTiqn9adr2h39kmzAJ0FeaTGFJhmjio0R41491503012015","content":"Hello","sentAt":1427470439703,"triggeredBy":null},{"type":"system","name":"John Doe","from":"agent:3","content":"agent.join","sentAt":1427470446219,"triggeredBy":null},{"type":"agent","name":"","from":"system","content":"This is triggered message","sentAt":1427470449706,"triggeredBy":"Test Trigger"},{"type":"agent","name":"John Doe","from":"agent:3","content":"Hi, how can i help you ?","sentAt":1427470453772,"triggeredBy":null},{"type":"visitor","name":"Dusan Kmet","from":"visitor:mxTiqn9adr2h39kmzAJ0FeaTGFJhmjio0R41491503012015","content":"tanks.","sentAt":1427470473124,"triggeredBy":null},{"type":"system","name":"Dusan Kmet","from":"system","content":"close.visitorClose","sentAt":1427470476687,"triggeredBy":null}]}""";
}
