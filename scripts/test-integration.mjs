// `npm run test:integration [-- --grep TEXT] [--host server|desktop] [--verbose] [--keep-workspace] [--untrusted]`
// (--untrusted: the VS Code server with workspace trust on, the workspace untrusted, so it
// opens in restricted mode; runs test/integration/restricted.test.ts, which is skipped otherwise.)
// (LOYAL_INTEGRATION_HOST=server|desktop chooses the host too.)
// Runs test/integration (built to out/test/integration) inside a real VS Code host, opened on
// a throwaway copy of test/fixtures/workspace: desktop VS Code through @vscode/test-electron
// when one is installed, otherwise the VS Code server + headless Chromium. Exit code = result.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, desktopVSCode, runTestsInHost } from './vscode-host.mjs';

const { values: options } = parseArgs({
  options: {
    grep: { type: 'string', short: 'g' },
    host: { type: 'string' },
    verbose: { type: 'boolean', default: false },
    'keep-workspace': { type: 'boolean', default: false },
    untrusted: { type: 'boolean', default: false },
  },
});

const FIXTURES = join(ROOT, 'test', 'fixtures');
const FIXTURE_WORKSPACE = join(FIXTURES, 'workspace');
const TESTS_INDEX = join(ROOT, 'out', 'test', 'integration', 'index.js');
// The built-in git extension is off in the test host: a test that makes and removes a clone in
// the workspace (team sharing) left it writing to a git that had already exited, and mocha
// took its uncaught EPIPE for a failure of whichever test ran next. Loyal runs git itself.
const TEST_SETTINGS = { 'git.enabled': false };
const TIMEOUT_MS = Number(process.env.LOYAL_TEST_TIMEOUT_MS || 10 * 60_000);

function buildIfNeeded() {
  if (existsSync(TESTS_INDEX) && existsSync(join(ROOT, 'dist', 'extension.js'))) return;
  console.log('out/ or dist/ is missing: running the build first');
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

function freshWorkspace() {
  mkdirSync(FIXTURE_WORKSPACE, { recursive: true });
  const workspace = mkdtempSync(join(tmpdir(), 'loyal-it-workspace-'));
  cpSync(FIXTURE_WORKSPACE, workspace, { recursive: true });
  return workspace;
}

function chooseHost() {
  const wanted = options.host ?? process.env.LOYAL_INTEGRATION_HOST;
  if (wanted === 'server') return { kind: 'server' };
  const desktop = desktopVSCode();
  if (wanted === 'desktop' && !desktop) {
    console.error('--host desktop: no desktop VS Code (put `code` on PATH or set LOYAL_VSCODE_EXECUTABLE).');
    process.exit(2);
  }
  return desktop ? { kind: 'desktop', desktop } : { kind: 'server' };
}

async function runInDesktop(desktop, workspace, env) {
  // Electron needs a display: re-run this script under xvfb-run when there is none.
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.LOYAL_UNDER_XVFB) {
    const args = ['-a', process.execPath, ...process.argv.slice(1)];
    const child = spawnSync('xvfb-run', args, { stdio: 'inherit', env: { ...process.env, LOYAL_UNDER_XVFB: '1', LOYAL_TEST_REUSE_WORKSPACE: workspace } });
    if (child.error) throw new Error(`xvfb-run is needed to run desktop VS Code without a display: ${child.error.message}`);
    return child.status ?? 1;
  }
  const { runTests } = await import('@vscode/test-electron');
  console.log(`Integration host: VS Code desktop ${desktop.version} (Electron, ${desktop.executable}) via @vscode/test-electron`);
  const userDataDir = mkdtempSync(join(tmpdir(), 'loyal-it-user-'));
  let timer;
  try {
    const run = runTests({
      vscodeExecutablePath: desktop.executable,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: TESTS_INDEX,
      extensionTestsEnv: { ...env, LOYAL_TEST_HOST: 'desktop' },
      launchArgs: [workspace, '--disable-extension', 'vscode.git', '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes', '--user-data-dir', userDataDir],
    });
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Integration tests did not finish within ${TIMEOUT_MS / 1000} s in desktop VS Code.`)), TIMEOUT_MS);
    });
    return await Promise.race([run, timeout]);
  } catch (error) {
    // runTests rejects with a TestRunFailedError carrying VS Code's exit code when the suite fails.
    if (typeof error?.code === 'number') return error.code || 1;
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  } finally {
    clearTimeout(timer);
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

/**
 * What a hostile clone would ship, for the restricted-mode test: workspace settings pointing
 * loyal.dataFile at a book outside the folder, and GIT_TRACE set, so that every git run
 * leaves a line in a file and the test can tell whether git was run.
 */
function restrictedSetup(workspace, env) {
  const outside = mkdtempSync(join(tmpdir(), 'loyal-it-outside-'));
  const book = JSON.parse(readFileSync(join(FIXTURE_WORKSPACE, 'loyal.json'), 'utf8'));
  book.customers[0].name = 'Olga Outside';
  const outsideFile = join(outside, 'outside.json');
  writeFileSync(outsideFile, `${JSON.stringify(book, null, 2)}\n`);
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'loyal.dataFile': outsideFile }, null, 2));
  // git writes a trace of every run to this file (a PATH of our own would not reach the
  // extension host: the server takes PATH from the login shell).
  const gitLog = join(outside, 'git-calls.log');
  Object.assign(env, {
    LOYAL_TEST_UNTRUSTED: '1',
    LOYAL_TEST_OUTSIDE_FILE: outsideFile,
    LOYAL_TEST_GIT_LOG: gitLog,
    GIT_TRACE: gitLog,
    LOYAL_TEST_GREP: env.LOYAL_TEST_GREP ?? 'restricted mode',
  });
  return outside;
}

async function main() {
  const started = Date.now();
  buildIfNeeded();
  const reused = process.env.LOYAL_TEST_REUSE_WORKSPACE;
  const workspace = reused || freshWorkspace();
  const env = { LOYAL_TEST_WORKSPACE: workspace, LOYAL_TEST_FIXTURES: FIXTURES };
  if (options.grep) env.LOYAL_TEST_GREP = options.grep;
  const untrusted = options.untrusted ? restrictedSetup(workspace, env) : undefined;
  const host = untrusted ? { kind: 'server' } : chooseHost();

  let code;
  try {
    if (host.kind === 'desktop') {
      code = await runInDesktop(host.desktop, workspace, env);
    } else {
      code = await runTestsInHost({
        workspace,
        extensionPath: ROOT,
        testsPath: TESTS_INDEX,
        env,
        settings: TEST_SETTINGS,
        timeoutMs: TIMEOUT_MS,
        verbose: options.verbose || undefined,
        workspaceTrust: !!untrusted,
      });
    }
  } catch (error) {
    console.error(`\nIntegration run broke: ${error instanceof Error ? error.message : String(error)}`);
    code = 1;
  } finally {
    if (untrusted) rmSync(untrusted, { recursive: true, force: true });
    if (!reused) {
      if (options['keep-workspace']) console.log(`Test workspace kept: ${workspace}`);
      else rmSync(workspace, { recursive: true, force: true });
    }
  }
  if (!reused) {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`Integration tests ${code === 0 ? 'passed' : `FAILED (exit code ${code})`} in ${seconds} s`);
  }
  process.exit(code);
}

await main();
