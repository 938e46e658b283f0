return Davies.Cli.CliApp.Run(args, Console.Out, Console.Error);
