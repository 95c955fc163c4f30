using Chatport.Cli;
using Chatport.Hosting;

OwnerOnlyUmask.Apply();
InlineSocketCompletions.EnableUnlessSet();
return await ChatportCommandLine.InvokeAsync(args);

/// <summary>Internal like every type of the executable; declared so the web SDK's generator leaves it so.</summary>
internal partial class Program;
