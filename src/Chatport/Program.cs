using Chatport.Cli;
using Chatport.Hosting;

InlineSocketCompletions.EnableUnlessSet();
return await ChatportCommandLine.Build().Parse(args).InvokeAsync(ChatportCommandLine.Invocation);
