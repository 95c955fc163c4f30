using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Chatport.Tests.Api;

/// <summary>
/// A body, route or query value that does not bind is a 400 in plain words: <c>errors</c> names the field and says
/// what is wrong (an unknown field lists the ones the request takes), and no .NET type or member name shows.
/// </summary>
public sealed partial class JsonProblemTests : IAsyncLifetime
{
    private ChatportServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ChatportServer.StartAsync();
        await _server.PutAccountAsync(7);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public static TheoryData<string, string, string?, string, string> Cases() => new()
    {
        { "PUT", "/v1/accounts/7", """{"to": 1}""", "to", "unknown field `to`; this request takes: name, plan, inactivityTimeoutSeconds, timeZone." },
        { "POST", "/v1/accounts/7/sources", """{"to": 1}""", "to", "unknown field `to`; this request takes: kind, name, auth, secret, username." },
        { "POST", "/v1/accounts/7/keys", """{"name": "crm", "to": 1}""", "to", "unknown field `to`; this request takes: name." },
        { "PUT", "/v1/accounts/7", """{"name": "Acme", "plan": 5}""", "plan", "the value of `plan` must be a string" },
        { "PUT", "/v1/accounts/7", """{"name": "Acme", "plan": "pro", "inactivityTimeoutSeconds": "soon"}""", "inactivityTimeoutSeconds",
            "the value of `inactivityTimeoutSeconds` must be a whole number from -2147483648 to 2147483647" },
        { "POST", "/v1/accounts/7/sources", """{"kind": {"a": 1}}""", "kind", "the value of `kind` must be a string" },
        { "POST", "/v1/accounts/7/destinations", """{"kind": "webhook", "url": "https://example.com/", "headers": {"x-crm": 1}}""", "headers.x-crm",
            "the value of `headers.x-crm` must be a string" },
        { "POST", "/v1/accounts/7/destinations", """{"kind": "webhook", "url": "https://example.com/", "kinds": "completed"}""", "kinds",
            "the value of `kinds` must be an array" },
        { "PUT", "/v1/accounts/7", "[1, 2]", "body", "The body must be a JSON object." },
        { "PUT", "/v1/accounts/7", """{"name": "Acme", """, "body", "The body is not valid JSON: Expected start of a property name or value, but instead reached end of data. (line 1, byte 18)." },
        { "PUT", "/v1/accounts/7", "hello", "body", "The body is not valid JSON: 'h' is an invalid start of a value. (line 1, byte 1)." },
        { "PUT", "/v1/accounts/abc", """{"name": "Acme", "plan": "pro"}""", "accountId", "the value of `accountId` must be a whole number" },
        { "GET", "/v1/accounts/7/conversations/abc", null, "chatId", "the value of `chatId` must be a whole number" },
        { "GET", "/v1/accounts/7/conversations?limit=many", null, "limit", "the value of `limit` must be a whole number from -2147483648 to 2147483647" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_value_that_does_not_bind_is_a_400_naming_the_field_in_plain_words(string method, string path, string? body, string field, string expected)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        var response = await _server.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), text);
        Assert.Equal(expected, messages[0].GetString());
        var detail = problem.GetProperty("detail").GetString()!;
        // A destination's body is checked field by field by its service, which reports every problem at once.
        Assert.Equal(path.EndsWith("/destinations", StringComparison.Ordinal)
            ? "The destination was not saved; see errors."
            : char.ToUpperInvariant(expected[0]) + expected[1..].TrimEnd('.') + ".", detail);
        Assert.False(DotNetNames().IsMatch(text), text);
    }

    [Theory]
    [InlineData("/v1/events")]
    [InlineData("/v1/conversations")]
    public async Task An_empty_body_for_events_or_an_import_says_so_in_plain_words(string path)
    {
        var response = await _server.PostJsonAsync(path, "");
        var text = await response.Content.ReadAsStringAsync();
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("The body is not valid JSON: it is empty.", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(DotNetNames().IsMatch(text), text);
    }

    // What a .NET type or member looks like in the serializer's and the framework's own messages.
    [GeneratedRegex(@"\.NET|System\.|Chatport\.|Nullable<|\b(long|int|string) [a-z]|isFinalBlock|could not be (mapped|converted)")]
    private static partial Regex DotNetNames();
}
