using Chatport.Cli;

return await ChatportCommandLine.Build().Parse(args).InvokeAsync();
