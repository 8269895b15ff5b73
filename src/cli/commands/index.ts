// The commands of `loyal`. A new command is a module in this folder added to this table.
import type { CliCommand } from '../command';
import { addCommand } from './add';
import { checkCommand } from './check';
import { demoCommand } from './demo';
import { exportCommand } from './export';
import { importCommand } from './import';
import { initCommand } from './init';
import { schemaCommand } from './schema';
import { ltvCommand } from './ltv';
import { reviewCommand } from './review';
import { resolveCommand } from './resolve';
import { trendsCommand } from './trends';
import { mergeCommand } from './merge';
import { setupGitCommand } from './setupGit';
import { mcpCommand } from './mcp';

export const COMMANDS: readonly CliCommand[] = [
  initCommand,
  checkCommand,
  addCommand,
  importCommand,
  exportCommand,
  demoCommand,
  schemaCommand,
  resolveCommand,
  ltvCommand,
  reviewCommand,
  trendsCommand,
  mergeCommand,
  setupGitCommand,
  mcpCommand,
];

export function findCommand(name: string): CliCommand | undefined {
  return COMMANDS.find((command) => command.name === name);
}
