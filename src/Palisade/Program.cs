using System.CommandLine;
using Palisade.Commands;

var root = new RootCommand("Palisade: a DNS server for your own network that blocks ads, trackers and malware.");
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(CheckCommand.Create());
root.Subcommands.Add(ListsCommand.Create());
root.Subcommands.Add(DecodeCommand.Create());
root.Subcommands.Add(QueryCommand.Create());
root.Subcommands.Add(CertCommand.Create());
// serve handles SIGINT and SIGTERM itself, to stop gracefully; the parser must not end the process first.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
