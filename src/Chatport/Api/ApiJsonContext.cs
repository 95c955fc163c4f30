using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Chatport.Api.Accounts;
using Chatport.Api.Keys;
using Chatport.Conversations;
using Chatport.Deliveries;
using Chatport.Application.Accounts;
using Chatport.Application.Destinations;
using Chatport.Application.Sources;
using Chatport.Sources.Events;
using Chatport.Sources.Hooks;
using Chatport.Sources.Import;

namespace Chatport.Api;

/// <summary>
/// The API's request and response bodies (source-generated). Unknown fields in a request are refused, so a
/// misspelt setting is a 400 that names it rather than a setting silently ignored.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(AccountRequest))]
[JsonSerializable(typeof(AccountResponse))]
[JsonSerializable(typeof(KeyRequest))]
[JsonSerializable(typeof(CreatedKeyResponse))]
[JsonSerializable(typeof(List<KeyResponse>))]
[JsonSerializable(typeof(EventBatchResult))]
[JsonSerializable(typeof(List<EventError>))]
[JsonSerializable(typeof(ImportResult))]
[JsonSerializable(typeof(List<ImportError>))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(ConversationList))]
[JsonSerializable(typeof(ConversationVersionList))]
[JsonSerializable(typeof(AccountList))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonArray))]
[JsonSerializable(typeof(ReplayRequest))]
[JsonSerializable(typeof(TestResult))]
[JsonSerializable(typeof(ReplayResult))]
[JsonSerializable(typeof(DeliveryResponse))]
[JsonSerializable(typeof(DeliveryList))]
[JsonSerializable(typeof(LiveResponse))]
[JsonSerializable(typeof(SourceRequest))]
[JsonSerializable(typeof(SourceResponse))]
[JsonSerializable(typeof(List<SourceResponse>))]
[JsonSerializable(typeof(HookReceipt))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
