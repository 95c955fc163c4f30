using Microsoft.Extensions.Options;

namespace Chatport.Hosting;

internal static class ChatportOptionsExtensions
{
    public static IHostApplicationBuilder AddChatportOptions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ChatportOptions>()
            .BindConfiguration(ChatportOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.DataDir), "Chatport:DataDir must not be empty.")
            .Validate(o => o.AdminKey is null || o.AdminKey.Length >= 16,
                "Chatport:AdminKey must be at least 16 characters long; leave it unset to have one generated.")
            .Validate(o => o.ShutdownTimeout >= TimeSpan.Zero, "Chatport:ShutdownTimeout must not be negative.")
            .ValidateOnStart();
        builder.Services.AddOptions<Conversations.GroupCommitOptions>()
            .BindConfiguration(Conversations.GroupCommitOptions.Section)
            .Validate(o => o.MaxRequests > 0 && o.InFlight > 0, "Chatport:GroupCommit:MaxRequests and InFlight must be positive.")
            .ValidateOnStart();
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<ChatportOptions>>((host, chatport) =>
            host.ShutdownTimeout = chatport.Value.ShutdownTimeout);
        return builder;
    }
}
