// Entry point of the `loyal` command (bundled to dist/cli.js with a shebang).
import { nodeIo, runCli } from './run';

void runCli(process.argv.slice(2), nodeIo()).then((code) => {
  // exitCode rather than exit(): a large export still being written to a pipe is not cut short.
  process.exitCode = code;
});
