// The entry point VS Code loads as `extensionTestsPath`: runs every *.test.js beside it with
// mocha inside the extension host, and rejects when a test fails (the host's exit code).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';

// Must equal HOST_LOG_MARKER in scripts/vscode-host.mjs.
const HOST_LOG_MARKER = '\u2063loyal\u2063';

type ConsoleMethod = 'log' | 'info' | 'warn' | 'error' | 'debug';

/**
 * In the VS Code server host, console output of the extension host reaches the runner only
 * mixed with the workbench's own log; marking our lines lets the runner print just these.
 * In desktop VS Code, the host's console already goes to the runner's stdout unmarked.
 * VS Code installs console.log & co. as getters that ignore assignment, so redefine them.
 */
function markConsoleForServerHost(): { log: (...args: unknown[]) => void; restore: () => void } {
  const log = console.log.bind(console);
  if (process.env.LOYAL_TEST_HOST !== 'server') return { log, restore: () => undefined };
  const methods: ConsoleMethod[] = ['log', 'info', 'warn', 'error', 'debug'];
  const saved = new Map<ConsoleMethod, PropertyDescriptor>();
  for (const method of methods) {
    const descriptor = Object.getOwnPropertyDescriptor(console, method);
    if (!descriptor?.configurable) continue;
    const original = console[method];
    const marked = (...args: unknown[]): void => original.call(console, HOST_LOG_MARKER + format(...args));
    Object.defineProperty(console, method, { configurable: true, enumerable: descriptor.enumerable, get: () => marked, set: () => undefined });
    saved.set(method, descriptor);
  }
  return {
    log: (...args: unknown[]): void => log(HOST_LOG_MARKER + format(...args)),
    restore: () => {
      for (const [method, descriptor] of saved) Object.defineProperty(console, method, descriptor);
    },
  };
}

export async function run(): Promise<void> {
  const hostConsole = markConsoleForServerHost();
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  // Mocha's reporters keep the console.log they saw when loaded; route them through ours.
  Mocha.reporters.Base.consoleLog = hostConsole.log;
  if (process.env.LOYAL_TEST_GREP) mocha.grep(process.env.LOYAL_TEST_GREP);

  const testFiles = readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.js'))
    .sort();
  for (const name of testFiles) mocha.addFile(join(__dirname, name));

  try {
    if (testFiles.length === 0) throw new Error(`No *.test.js files in ${__dirname}: was the build run?`);
    const failures = await new Promise<number>((resolve, reject) => {
      try {
        mocha.run(resolve);
      } catch (error) {
        reject(error);
      }
    });
    if (failures > 0) throw new Error(`${failures} integration test${failures === 1 ? '' : 's'} failed.`);
  } catch (error) {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    throw error;
  } finally {
    hostConsole.restore();
  }
}
