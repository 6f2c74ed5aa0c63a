import type { Command } from 'commander';

/** A command implemented elsewhere that parses its own arguments (and its own --help). */
export interface PassthroughCommand {
  name: string;
  description: string;
  run: (args: string[]) => Promise<unknown>;
}

/** Registers a command whose arguments are handed, untouched, to the module that owns it. */
export function registerPassthroughCommand(program: Command, command: PassthroughCommand): void {
  program
    .command(command.name)
    .description(command.description)
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[args...]')
    .action(async (args: string[] | undefined) => {
      await command.run(args ?? []);
    });
}
