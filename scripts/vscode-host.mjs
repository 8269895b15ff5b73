// A real VS Code host on machines that cannot download VS Code: the VS Code server from
// the npm package `code-server` (pinned), run on Node 24 from the npm package `node@24`,
// with its web workbench driven by headless Chromium through playwright-core.
// Shared by the integration test runner, `npm start`, the screenshot script and the bench.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants as fsConstants, existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';

export const ROOT = resolve(new URL('..', import.meta.url).pathname);
export const CACHE_DIR = resolve(process.env.LOYAL_VSCODE_TEST_DIR || join(ROOT, '.vscode-test'));
/** Pinned so that every run tests against the same host (code-server 4.139.1 bundles VS Code 1.139.1). */
export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_MAJOR = '24';

const NODE24_DIR = join(CACHE_DIR, 'node24');
const CODE_SERVER_DIR = join(CACHE_DIR, 'code-server');
const VSCODE_DIR = join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'lib', 'vscode');
const MARKER = join(CODE_SERVER_DIR, '.loyal-install-complete.json');
const LOCK_DIR = join(CACHE_DIR, '.install-lock');

/** Marks console lines written inside the extension host during a test run (see test/integration/index.ts). */
export const HOST_LOG_MARKER = '\u2063loyal\u2063';

export const CHROMIUM_EXECUTABLE = process.env.LOYAL_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
export const DEFAULT_VIEWPORT = { width: 1400, height: 900 };

/** User settings for every server run: no welcome page, no walkthroughs, no update or telemetry traffic. */
export const BASE_USER_SETTINGS = {
  'workbench.colorTheme': 'Dark Modern',
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.commandCenter.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'git.openRepositoryInParentFolders': 'never',
  'security.workspace.trust.enabled': false,
};

function say(message) {
  console.log(`[vscode-host] ${message}`);
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

// ---------------------------------------------------------------------------------------------
// Install
// ---------------------------------------------------------------------------------------------

export function node24Path() {
  return join(NODE24_DIR, 'node_modules', '.bin', 'node');
}

export function vscodeServerDir() {
  return VSCODE_DIR;
}

/** The VS Code version bundled by the pinned code-server, or null before the install. */
export function vscodeServerVersion() {
  const pkg = join(VSCODE_DIR, 'package.json');
  return existsSync(pkg) ? JSON.parse(readFileSync(pkg, 'utf8')).version : null;
}

function readMarker() {
  try {
    return JSON.parse(readFileSync(MARKER, 'utf8'));
  } catch {
    return null;
  }
}

function installIsComplete() {
  const marker = readMarker();
  return (
    marker !== null && marker.codeServer === CODE_SERVER_VERSION && existsSync(node24Path()) && existsSync(join(VSCODE_DIR, 'out', 'server-main.js')) && existsSync(join(VSCODE_DIR, 'node_modules'))
  );
}

function run(command, args, options) {
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...options });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-40).join('\n');
    throw new Error(`${command} ${args.join(' ')} (in ${options.cwd}) failed with ${result.error ?? `exit code ${result.status}`}:\n${output}`);
  }
  return Date.now() - started;
}

function pidIsAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

async function withInstallLock(fn) {
  mkdirSync(CACHE_DIR, { recursive: true });
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      writeFileSync(join(LOCK_DIR, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      let owner = NaN;
      try {
        owner = Number(readFileSync(join(LOCK_DIR, 'pid'), 'utf8'));
      } catch {
        // the owner is between mkdir and writing its pid
      }
      if (Number.isFinite(owner) && !pidIsAlive(owner)) {
        rmSync(LOCK_DIR, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`Timed out waiting for another VS Code server install (lock ${LOCK_DIR}).`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

function npmEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  // Node headers cannot be downloaded here; node-gyp builds VS Code's native modules (all
  // Node-API, so ABI-stable across Node versions) against the system Node's headers instead.
  if (!env.npm_config_nodedir && existsSync('/usr/include/node/node_api.h')) env.npm_config_nodedir = '/usr';
  env.npm_config_audit = 'false';
  env.npm_config_fund = 'false';
  env.npm_config_update_notifier = 'false';
  return env;
}

function installNode24() {
  if (existsSync(node24Path())) return;
  say(`installing node@${NODE_MAJOR} (npm package) into ${NODE24_DIR} ...`);
  mkdirSync(NODE24_DIR, { recursive: true });
  // The package's preinstall links in the platform binary; allow it explicitly so that a
  // strict install-script policy does not leave a package without a binary.
  writeFileSync(join(NODE24_DIR, 'package.json'), JSON.stringify({ name: 'loyal-node24', private: true, allowScripts: { node: true } }, null, 2));
  const ms = run('npm', ['install', '--no-save', '--no-package-lock', `node@${NODE_MAJOR}`], { cwd: NODE24_DIR, env: npmEnv() });
  if (!existsSync(node24Path())) throw new Error(`node@${NODE_MAJOR} installed but ${node24Path()} is missing.`);
  say(`node ${execFileSync(node24Path(), ['-v'], { encoding: 'utf8' }).trim()} ready (${seconds(ms)})`);
}

function installCodeServer() {
  const node24Bin = dirname(node24Path());
  // code-server's own postinstall refuses Node 20 (npm runs it with the project's Node), so
  // install the package without scripts and do what its postinstall does, on Node 24.
  say(`installing code-server@${CODE_SERVER_VERSION} (npm package) into ${CODE_SERVER_DIR} ...`);
  mkdirSync(CODE_SERVER_DIR, { recursive: true });
  writeFileSync(join(CODE_SERVER_DIR, 'package.json'), JSON.stringify({ name: 'loyal-code-server', private: true }, null, 2));
  let ms = run('npm', ['install', '--no-save', '--no-package-lock', '--ignore-scripts', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: CODE_SERVER_DIR,
    env: npmEnv(),
  });
  say(`code-server package unpacked (${seconds(ms)})`);

  // With Node 24 first on PATH, `npm` itself and node-gyp run on Node 24. lib/vscode's
  // package.json declares `allowScripts` for its native modules (kerberos, spdlog, node-pty,
  // ...), so npm 11 builds them without any extra flag.
  const env = npmEnv({ PATH: `${node24Bin}${delimiter}${process.env.PATH}` });
  say('installing VS Code server dependencies on Node 24 (builds native modules; ~2 min) ...');
  ms = run('npm', ['install', '--omit=dev'], { cwd: VSCODE_DIR, env });
  say(`lib/vscode dependencies ready (${seconds(ms)})`);
  ms = run('npm', ['install', '--omit=dev'], { cwd: join(VSCODE_DIR, 'extensions'), env });
  say(`lib/vscode/extensions dependencies ready (${seconds(ms)})`);

  // Fail here, not in the middle of a test run, when a native module did not build.
  const natives = ['kerberos', '@vscode/spdlog', '@vscode/native-watchdog', 'node-pty', '@parcel/watcher'].filter((name) => existsSync(join(VSCODE_DIR, 'node_modules', name)));
  const check = spawnSync(node24Path(), ['-e', `for (const m of ${JSON.stringify(natives)}) require(m);`], { cwd: VSCODE_DIR, encoding: 'utf8' });
  if (check.status !== 0) {
    throw new Error(`VS Code server native modules do not load on Node ${NODE_MAJOR}:\n${check.stderr}`);
  }
}

/**
 * Installs, once, Node 24 and the pinned VS Code server into `.vscode-test/` (~2.5 min on a
 * fresh machine; then instant). Safe to call from concurrent processes.
 */
export async function ensureServer() {
  if (installIsComplete()) return describeInstall();
  return withInstallLock(async () => {
    if (installIsComplete()) return describeInstall();
    const started = Date.now();
    say(`first run: installing the VS Code server host into ${CACHE_DIR} (cached afterwards)`);
    rmSync(MARKER, { force: true });
    installNode24();
    installCodeServer();
    const info = {
      codeServer: CODE_SERVER_VERSION,
      vscode: vscodeServerVersion(),
      node: execFileSync(node24Path(), ['-v'], { encoding: 'utf8' }).trim(),
      installedAt: new Date().toISOString(),
      installSeconds: Math.round((Date.now() - started) / 1000),
    };
    writeFileSync(MARKER, JSON.stringify(info, null, 2));
    say(`VS Code server ${info.vscode} installed in ${seconds(Date.now() - started)}`);
    return describeInstall();
  });
}

function describeInstall() {
  const marker = readMarker() ?? {};
  return {
    node: node24Path(),
    nodeVersion: marker.node,
    vscodeDir: VSCODE_DIR,
    vscodeVersion: vscodeServerVersion(),
    codeServerVersion: CODE_SERVER_VERSION,
  };
}

// ---------------------------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------------------------

function portIsFree(port) {
  return new Promise((resolvePort) => {
    const probe = createServer();
    probe.once('error', () => resolvePort(false));
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => probe.close(() => resolvePort(true)));
  });
}

/** The first free port from `start` upwards; with no `start`, any free port. */
export async function findFreePort(start) {
  if (start === undefined) {
    return new Promise((resolvePort, reject) => {
      const probe = createServer();
      probe.once('error', reject);
      probe.listen({ port: 0, host: '127.0.0.1' }, () => {
        const { port } = probe.address();
        probe.close(() => resolvePort(port));
      });
    });
  }
  for (let port = start; port < start + 200; port++) {
    if (await portIsFree(port)) return port;
  }
  throw new Error(`No free port in ${start}-${start + 199}.`);
}

function writeUserSettings(userDataDir, settings) {
  const file = join(userDataDir, 'User', 'settings.json');
  let existing = {};
  if (existsSync(file)) {
    try {
      existing = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      // settings.json may hold comments after a manual edit: keep it as the person left it
      return;
    }
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ ...BASE_USER_SETTINGS, ...existing, ...settings }, null, 2));
}

const liveServers = new Set();
let exitHookInstalled = false;
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort when the caller crashes: never leave a server (and its extension hosts) behind.
  process.on('exit', () => {
    for (const child of liveServers) killGroup(child, 'SIGKILL');
  });
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/**
 * Starts the VS Code server (plain server-main.js, not the code-server wrapper).
 * `env` is added to the server's environment; the extension host inherits it.
 * Returns `{ url, port, stop(), output(), userDataDir, version }`.
 */
export async function startServer({
  port,
  env = {},
  settings = {},
  userDataDir,
  serverDataDir,
  extensionsDir,
  echo = false,
  readyTimeoutMs = 60_000,
  /** True: workspace trust on, so the workspace opens in restricted mode (see --untrusted). */
  workspaceTrust = false,
} = {}) {
  const install = await ensureServer();
  port ??= await findFreePort();
  const tempRoot = mkdtempSync(join(tmpdir(), 'loyal-vscode-'));
  userDataDir ??= join(tempRoot, 'user-data');
  serverDataDir ??= join(tempRoot, 'server-data');
  extensionsDir ??= join(tempRoot, 'extensions');
  for (const dir of [userDataDir, serverDataDir, extensionsDir]) mkdirSync(dir, { recursive: true });
  writeUserSettings(
    userDataDir,
    workspaceTrust ? { ...settings, 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'never' } : settings,
  );

  const serverEnv = { ...process.env };
  // A VS Code terminal's variables would point the server at the outer editor.
  for (const key of Object.keys(serverEnv)) if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE') delete serverEnv[key];
  Object.assign(serverEnv, env);

  const args = [
    join(install.vscodeDir, 'out', 'server-main.js'),
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--without-connection-token',
    '--accept-server-license-terms',
    '--enable-smoke-test-driver',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-telemetry',
    '--user-data-dir',
    userDataDir,
    '--server-data-dir',
    serverDataDir,
    '--extensions-dir',
    extensionsDir,
  ];
  const child = spawn(install.node, args, { env: serverEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  liveServers.add(child);
  installExitHook();

  const recent = [];
  const remember = (chunk) => {
    for (const line of String(chunk).split('\n')) {
      if (!line.trim()) continue;
      recent.push(line);
      if (recent.length > 200) recent.shift();
      if (echo) console.log(`[server] ${line}`);
    }
  };

  let exited = false;
  const exitPromise = new Promise((resolveExit) =>
    child.once('exit', (code, signal) => {
      exited = true;
      liveServers.delete(child);
      resolveExit({ code, signal });
    }),
  );

  await new Promise((resolveReady, reject) => {
    const timer = setTimeout(() => {
      killGroup(child, 'SIGKILL');
      reject(new Error(`VS Code server did not print "Web UI available at" within ${seconds(readyTimeoutMs)}:\n${recent.join('\n')}`));
    }, readyTimeoutMs);
    const onData = (chunk) => {
      remember(chunk);
      if (recent.some((line) => line.includes('Web UI available at'))) {
        clearTimeout(timer);
        resolveReady();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    exitPromise.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`VS Code server exited (code ${code}, signal ${signal}) before it was ready:\n${recent.join('\n')}`));
    });
  });

  let stopping;
  const stop = () => {
    stopping ??= (async () => {
      if (!exited) {
        killGroup(child, 'SIGTERM');
        const killed = await Promise.race([exitPromise.then(() => true), new Promise((r) => setTimeout(() => r(false), 5000))]);
        if (!killed) {
          killGroup(child, 'SIGKILL');
          await exitPromise;
        }
      }
      // Only the directories this call created; a caller's own directories are kept.
      rmSync(tempRoot, { recursive: true, force: true, maxRetries: 3 });
    })();
    return stopping;
  };

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid,
    version: install.vscodeVersion,
    userDataDir,
    exited: exitPromise,
    output: () => recent.join('\n'),
    stop,
  };
}

/**
 * When the extension folder contains the VS Code server itself (the repository holds the
 * `.vscode-test/` cache), the web workbench attributes the built-in extensions' files to the
 * extension under development and fails to load them: no colour theme from the settings,
 * and other built-ins broken. A symlink outside the repository avoids that containment.
 */
export function developmentPathAlias(extensionPath) {
  const target = resolve(extensionPath);
  const inside = relative(target, VSCODE_DIR);
  if (inside.startsWith('..') || isAbsolute(inside)) return target;
  const dir = join(tmpdir(), 'loyal-vscode-dev');
  mkdirSync(dir, { recursive: true });
  const alias = join(dir, `${basename(target)}-${createHash('sha1').update(target).digest('hex').slice(0, 8)}`);
  try {
    if (readlinkSync(alias) === target) return alias;
    rmSync(alias, { force: true });
  } catch {
    // no alias yet
  }
  try {
    symlinkSync(target, alias, 'junction');
  } catch (error) {
    if (error.code !== 'EEXIST') throw error; // a concurrent run made the same link
  }
  return alias;
}

/**
 * The workbench address for a folder with an extension in development mode, and with
 * `testsPath` (absolute path of a built tests index.js), the test run.
 */
export function workbenchUrl({ port, folder, extensionPath, testsPath, host = '127.0.0.1' }) {
  const authority = `${host}:${port}`;
  const remote = (path) => `vscode-remote://${authority}${pathToFileURL(resolve(path)).pathname}`;
  const alias = developmentPathAlias(extensionPath);
  const payload = [['extensionDevelopmentPath', remote(alias)]];
  if (testsPath) {
    const inside = relative(resolve(extensionPath), resolve(testsPath));
    const aliased = inside.startsWith('..') || isAbsolute(inside) ? testsPath : join(alias, inside);
    payload.push(['extensionTestsPath', remote(aliased)]);
  }
  const folderParam = encodeURIComponent(resolve(folder)).replace(/%2F/g, '/');
  return `http://${authority}/?folder=${folderParam}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

// ---------------------------------------------------------------------------------------------
// Browser
// ---------------------------------------------------------------------------------------------

/** Headless Debian Chromium through playwright-core. */
export async function launchBrowser({ headless = true } = {}) {
  const { chromium } = await import('playwright-core');
  if (!existsSync(CHROMIUM_EXECUTABLE)) {
    throw new Error(`Chromium not found at ${CHROMIUM_EXECUTABLE} (apt-get install chromium, or set LOYAL_CHROMIUM).`);
  }
  return chromium.launch({ executablePath: CHROMIUM_EXECUTABLE, args: CHROMIUM_ARGS, headless });
}

export async function newWorkbenchPage(browser, { viewport = DEFAULT_VIEWPORT, deviceScaleFactor = 1 } = {}) {
  const context = await browser.newContext({ viewport, deviceScaleFactor });
  // vscode.env.clipboard goes through navigator.clipboard in the web workbench.
  await context.grantPermissions(['clipboard-read', 'clipboard-write']).catch(() => {});
  return context.newPage();
}

/**
 * Waits until the workbench has rendered its activity bar and applied the colour theme from
 * the settings. The theme comes from a built-in extension, so it lands seconds after the first
 * paint (until then the page is light whatever the setting); its id then shows as a class.
 */
export async function waitForWorkbench(page, timeoutMs = 90_000) {
  await page.waitForSelector('.monaco-workbench .part.activitybar', { timeout: timeoutMs });
  await page.waitForSelector('.monaco-workbench[class*="vscode-theme-"]', { state: 'attached', timeout: timeoutMs });
}

export function describeServerHost(serverVersion, chromiumVersion) {
  return `VS Code server ${serverVersion} (web, Node extension host) + headless Chromium ${chromiumVersion}`;
}

// ---------------------------------------------------------------------------------------------
// Test run
// ---------------------------------------------------------------------------------------------

function formatLogArgs(args) {
  const list = Array.isArray(args) ? args : [args];
  return list.map((value) => (typeof value === 'string' ? value : inspect(value, { depth: 4, breakLength: 120 }))).join(' ');
}

/**
 * Runs an extension's test suite (`testsPath`: a built index.js exporting `run()`) inside the
 * VS Code server's extension host, opened on `workspace`. Lines the suite writes to the
 * console are printed here; the workbench's own log is printed only with `verbose`.
 * Resolves with the suite's exit code; rejects on timeout or when the host breaks.
 */
export async function runTestsInHost({
  workspace,
  extensionPath = ROOT,
  testsPath = join(extensionPath, 'out', 'test', 'integration', 'index.js'),
  env = {},
  timeoutMs = 10 * 60_000,
  verbose = process.env.LOYAL_TEST_VERBOSE === '1',
  announce = (line) => console.log(line),
  failureScreenshot = join(CACHE_DIR, 'logs', 'integration-failure.png'),
  workspaceTrust = false,
  /** User settings of this run, over BASE_USER_SETTINGS. */
  settings = {},
}) {
  const started = Date.now();
  const phase = (what) => verbose && console.log(`[vscode-host] +${seconds(Date.now() - started)} ${what}`);
  const server = await startServer({ env: { LOYAL_TEST_HOST: 'server', ...env }, settings, echo: verbose, workspaceTrust });
  phase(`server ready on port ${server.port}`);
  let browser;
  let page;
  try {
    browser = await launchBrowser();
    announce(`Integration host: ${describeServerHost(server.version, browser.version())}`);
    phase('browser ready');
    page = await newWorkbenchPage(browser);

    let finish;
    let firstLine = false;
    const exitCode = new Promise((resolveExit) => (finish = resolveExit));
    // Both must exist before the workbench loads: the smoke-test driver looks them up once.
    await page.exposeFunction('codeAutomationExit', (code) => finish(Number(code)));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = formatLogArgs(args);
      if (text.startsWith(HOST_LOG_MARKER)) {
        if (!firstLine) phase('first line from the test run');
        firstLine = true;
        const line = text.slice(HOST_LOG_MARKER.length);
        (type === 'error' ? process.stderr : process.stdout).write(`${line}\n`);
      } else if (verbose) {
        console.log(`[workbench ${type}] ${text}`);
      } else if (type === 'error' && /loyal-crm\.loyal|Activating extension/i.test(text)) {
        // Activation failures are logged by the workbench, not by the suite.
        console.error(`[workbench] ${text}`);
      }
    });
    page.on('pageerror', (error) => verbose && console.error(`[page error] ${error.message}`));

    await page.goto(workbenchUrl({ port: server.port, folder: workspace, extensionPath, testsPath }));
    phase('workbench page loaded');

    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Integration tests did not finish within ${seconds(timeoutMs)} in the VS Code server host.`)), timeoutMs);
    });
    const serverDied = server.exited.then(({ code, signal }) => {
      throw new Error(`VS Code server exited during the test run (code ${code}, signal ${signal}).`);
    });
    try {
      const code = await Promise.race([exitCode, timeout, serverDied]);
      phase(`test run exited with code ${code}`);
      // Let the last console lines (the mocha summary) arrive before the page goes away.
      await new Promise((r) => setTimeout(r, 300));
      return code;
    } finally {
      clearTimeout(timer);
    }
  } catch (error) {
    if (page && failureScreenshot) {
      try {
        mkdirSync(dirname(failureScreenshot), { recursive: true });
        await page.screenshot({ path: failureScreenshot });
        error.message += `\nScreenshot of the workbench: ${failureScreenshot}`;
      } catch {
        // the page is gone
      }
    }
    error.message += `\nLast VS Code server output:\n${server.output().split('\n').slice(-30).join('\n')}`;
    throw error;
  } finally {
    await browser?.close().catch(() => {});
    await server.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// Desktop VS Code
// ---------------------------------------------------------------------------------------------

function isExecutable(path) {
  try {
    accessSync(path, fsConstants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const candidate of process.platform === 'win32' ? [`${name}.cmd`, `${name}.exe`] : [name]) {
      const path = join(dir, candidate);
      if (isExecutable(path)) return path;
    }
  }
  return null;
}

/**
 * The desktop VS Code the tests and `npm start` can use: `{ cli, executable, version }`, or
 * null. `cli` is the `code` command; `executable` the Electron binary @vscode/test-electron
 * launches. LOYAL_VSCODE_EXECUTABLE may name either. A remote `code` (the CLI that VS Code
 * Server puts on PATH in its terminals) is not a desktop VS Code.
 */
export function desktopVSCode() {
  const given = process.env.LOYAL_VSCODE_EXECUTABLE;
  const cli = given && isExecutable(given) ? given : onPath('code');
  if (!cli) return null;
  const real = realpathSync(cli);
  if (cli !== given && /remote-cli|\.vscode-server|code-server/.test(real)) return null;
  let executable = real;
  let appDir = null;
  if (process.platform === 'darwin') {
    // .../Visual Studio Code.app/Contents/Resources/app/bin/code -> .../Contents/MacOS/Electron (or Code)
    const contents = real.includes('/Contents/') ? real.slice(0, real.indexOf('/Contents/') + '/Contents'.length) : null;
    if (contents) {
      appDir = join(contents, 'Resources', 'app');
      executable = ['Electron', 'Code', 'Code - Insiders'].map((n) => join(contents, 'MacOS', n)).find(isExecutable) ?? real;
    }
  } else if (dirname(real).endsWith('bin')) {
    // Linux: /usr/share/code/bin/code -> /usr/share/code/code; Windows: <dir>/bin/code.cmd -> <dir>/Code.exe
    const installDir = dirname(dirname(real));
    const names = process.platform === 'win32' ? ['Code.exe', 'Code - Insiders.exe', 'VSCodium.exe'] : ['code', 'code-insiders', 'codium', 'code-oss'];
    executable = names.map((n) => join(installDir, n)).find(isExecutable) ?? real;
    appDir = join(installDir, 'resources', 'app');
  } else {
    appDir = join(dirname(real), 'resources', 'app');
  }
  let version = null;
  try {
    version = JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8')).version;
  } catch {
    try {
      version = execFileSync(cli, ['--version'], { encoding: 'utf8', timeout: 15_000 }).split('\n')[0].trim();
    } catch {
      version = 'unknown version';
    }
  }
  return { cli, executable, version };
}

/** True when a desktop VS Code can be had (`code` on PATH, or LOYAL_VSCODE_EXECUTABLE). */
export function desktopVSCodeAvailable() {
  return desktopVSCode() !== null;
}
