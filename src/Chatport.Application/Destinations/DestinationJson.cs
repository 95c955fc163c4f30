using System.Text.Json.Nodes;
using Chatport.Delivery.Retries;

namespace Chatport.Application.Destinations;

/// <summary>
/// A destination as API answers show it: one flat object, the fields every kind has around the kind's own —
/// <c>{id, accountId, kind, name, …target, kinds, enabled, disabledReason, timeoutSeconds, retrySchedule, redact,
/// redactVisitor, …options,
/// createdAt, updatedAt, lastSuccessAt, failingSince, lastError, …secrets}</c>. The retry schedule shown is the one in force
/// (the default when none was set).
/// </summary>
public static class DestinationJson
{
    public static JsonObject Compose(DestinationModel model)
    {
        var (d, view, _) = model;
        var json = new JsonObject
        {
            ["id"] = d.Id,
            ["accountId"] = d.AccountId,
            ["kind"] = d.Kind,
            ["name"] = d.Name,
        };
        Append(json, view.Target);
        json["kinds"] = Strings(d.Kinds);
        json["enabled"] = d.Enabled;
        json["disabledReason"] = d.DisabledReason;
        json["timeoutSeconds"] = d.TimeoutSeconds;
        json["retrySchedule"] = Strings(d.RetrySchedule.Count > 0 ? d.RetrySchedule : RetrySchedule.Default.ToStrings());
        json["redact"] = Strings(d.Redact);
        json["redactVisitor"] = Strings(d.RedactVisitor);
        Append(json, view.Options);
        json["createdAt"] = d.CreatedAt;
        json["updatedAt"] = d.UpdatedAt;
        json["lastSuccessAt"] = d.LastSuccessAt;
        json["failingSince"] = d.FailingSince;
        json["lastError"] = d.LastError;
        Append(json, view.Secrets);
        return json;
    }

    private static JsonArray Strings(IEnumerable<string> values) => [.. values.Select(v => (JsonNode?)JsonValue.Create(v))];

    private static void Append(JsonObject json, JsonObject part)
    {
        foreach (var (name, value) in part)
        {
            json[name] = value?.DeepClone();
        }
    }
}
