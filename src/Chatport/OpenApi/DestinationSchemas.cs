using Chatport.Delivery.Destinations;
using Microsoft.OpenApi;

namespace Chatport.OpenApi;

/// <summary>
/// Documents the destination bodies, which are flat objects read field by field (so the generator sees only "any
/// JSON"): for every registered kind, its create body, its patch body and its answer, each the fields every kind
/// takes beside the kind's own (<see cref="IDestinationKind.Fields"/>); the operations take and give one of them.
/// </summary>
internal static class DestinationSchemas
{
    private const string Collection = "/v1/accounts/{accountId}/destinations";
    private const string One = "/v1/accounts/{accountId}/destinations/{id}";

    public static void Apply(OpenApiDocument document, DestinationKinds kinds)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        var names = kinds.Names.Order(StringComparer.Ordinal).ToList();
        foreach (var name in names)
        {
            var kind = kinds.Find(name)!;
            document.Components.Schemas[Id(name, "Create")] = Body(kind, patch: false);
            document.Components.Schemas[Id(name, "Patch")] = Body(kind, patch: true);
            document.Components.Schemas[Id(name, "")] = Answer(kind);
        }
        IOpenApiSchema OneOf(string suffix) => new OpenApiSchema { OneOf = [.. names.Select(n => (IOpenApiSchema)new OpenApiSchemaReference(Id(n, suffix), document))] };

        if (document.Paths?.TryGetValue(Collection, out var collection) == true && collection.Operations is { } collectionOperations)
        {
            SetBody(collectionOperations, HttpMethod.Post, OneOf("Create"));
            SetAnswer(collectionOperations, HttpMethod.Post, "201", OneOf(""));
            SetAnswer(collectionOperations, HttpMethod.Get, "200", new OpenApiSchema { Type = JsonSchemaType.Array, Items = OneOf("") });
        }
        if (document.Paths?.TryGetValue(One, out var one) == true && one.Operations is { } oneOperations)
        {
            SetBody(oneOperations, HttpMethod.Patch, OneOf("Patch"));
            SetAnswer(oneOperations, HttpMethod.Patch, "200", OneOf(""));
            SetAnswer(oneOperations, HttpMethod.Get, "200", OneOf(""));
        }
        foreach (var placeholder in new[] { "JsonElement", "JsonObject", "JsonArray" }) // what the generator saw before
        {
            document.Components.Schemas.Remove(placeholder);
        }
    }

    private static string Id(string kind, string suffix) => char.ToUpperInvariant(kind[0]) + kind[1..] + "Destination" + suffix;

    private static void SetBody(Dictionary<HttpMethod, OpenApiOperation> operations, HttpMethod method, IOpenApiSchema schema)
    {
        if (operations.TryGetValue(method, out var operation))
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
            };
        }
    }

    private static void SetAnswer(Dictionary<HttpMethod, OpenApiOperation> operations, HttpMethod method, string status, IOpenApiSchema schema)
    {
        if (operations.TryGetValue(method, out var operation) && operation.Responses?.TryGetValue(status, out var response) == true
            && response.Content?.TryGetValue("application/json", out var media) == true)
        {
            media.Schema = schema;
        }
    }

    private static OpenApiSchema Body(IDestinationKind kind, bool patch)
    {
        var properties = new Dictionary<string, IOpenApiSchema>();
        if (!patch)
        {
            properties["kind"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [System.Text.Json.Nodes.JsonValue.Create(kind.Name)] };
        }
        properties["name"] = Field(FieldType.String, "A name for people, up to 200 characters.");
        properties["kinds"] = Field(FieldType.Strings, "Which conversations to send: completed, missed, offline, dropped; empty or absent for all.");
        properties["enabled"] = Field(FieldType.Boolean, patch ? "true re-enables a disabled destination; false disables it." : "Default true.");
        properties["timeoutSeconds"] = Field(FieldType.Integer, $"How long one attempt may take, 1 to 60 (default {kind.DefaultTimeoutSeconds}).");
        properties["retrySchedule"] = Field(FieldType.Strings, "Delays between attempts, e.g. [\"0\",\"5s\",\"5m\",\"30m\"]; absent for the default.");
        properties["redact"] = Field(FieldType.Strings, $"Masked in message contents before sending: {string.Join(", ", Redaction.Redaction.ContentKinds)} (cards and IBANs only when their checksum holds).");
        properties["redactVisitor"] = Field(FieldType.Strings, $"Visitor fields emptied before sending: {string.Join(", ", Redaction.Redaction.VisitorFields)}.");
        foreach (var field in kind.Fields.Where(f => patch || !f.PatchOnly))
        {
            properties[field.Name] = Field(field.Type, field.Description);
        }
        var required = new HashSet<string>(patch ? [] : ["kind", .. kind.Fields.Where(f => f.RequiredOnCreate).Select(f => f.Name)]);
        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = patch ? $"A change to a {kind.Name} destination: only the fields given change." : $"A new {kind.Name} destination.",
            Properties = properties,
            Required = required,
            AdditionalPropertiesAllowed = false,
        };
    }

    private static OpenApiSchema Answer(IDestinationKind kind)
    {
        var properties = new Dictionary<string, IOpenApiSchema>
        {
            ["id"] = Field(FieldType.String, "dst_…"),
            ["accountId"] = Field(FieldType.Integer, "The account."),
            ["kind"] = Field(FieldType.String, kind.Name),
            ["name"] = Field(FieldType.String, "Its name, or null."),
            ["kinds"] = Field(FieldType.Strings, "The conversation kinds sent; empty for all."),
            ["enabled"] = Field(FieldType.Boolean, "Whether it is sent to."),
            ["disabledReason"] = Field(FieldType.String, "Why it was disabled (410 Gone, days of failures, a person), or null."),
            ["timeoutSeconds"] = Field(FieldType.Integer, "How long one attempt may take."),
            ["retrySchedule"] = Field(FieldType.Strings, "The delays in force."),
            ["redact"] = Field(FieldType.Strings, "What is masked in message contents."),
            ["redactVisitor"] = Field(FieldType.Strings, "The visitor fields emptied."),
            ["createdAt"] = Time("When it was added."),
            ["updatedAt"] = Time("When it last changed."),
            ["lastSuccessAt"] = Time("The last delivery that succeeded, or null."),
            ["failingSince"] = Time("When the current run of failures began, or null."),
            ["lastError"] = Field(FieldType.String, "Why the last attempt failed, while it is failing (at most 500 characters), or null."),
        };
        foreach (var field in kind.Fields.Where(f => !f.PatchOnly))
        {
            properties[field.Name] = Field(field.Type, field.Secret ? field.Description + " Shown only in the answer that set it; null after." : field.Description);
        }
        return new OpenApiSchema { Type = JsonSchemaType.Object, Description = $"A {kind.Name} destination.", Properties = properties };
    }

    private static OpenApiSchema Time(string description) =>
        new() { Type = JsonSchemaType.String | JsonSchemaType.Null, Format = "date-time", Description = description };

    private static OpenApiSchema Field(FieldType type, string description) => type switch
    {
        FieldType.String => new() { Type = JsonSchemaType.String, Description = description },
        FieldType.Integer => new() { Type = JsonSchemaType.Integer, Description = description },
        FieldType.Boolean => new() { Type = JsonSchemaType.Boolean, Description = description },
        FieldType.Strings => new() { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String }, Description = description },
        _ => new() { Type = JsonSchemaType.Object, AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.String }, Description = description },
    };
}
