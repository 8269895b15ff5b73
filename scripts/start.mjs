// `npm start`: build, make sure demo-workspace/ has generated data, and open it with the
// extension in development mode: in desktop VS Code when `code` is on PATH, otherwise in the
// VS Code server (open the printed address in a browser; Ctrl-C stops it).
// LOYAL_PORT picks the server's port (default: the first free one from 3210).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_DIR, ROOT, desktopVSCode, findFreePort, startServer, workbenchUrl } from './vscode-host.mjs';

const DEMO_WORKSPACE = join(ROOT, 'demo-workspace');
const DEMO_FILE = join(DEMO_WORKSPACE, 'loyal.json');
const CLI = join(ROOT, 'dist', 'cli.js');

function build() {
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('npm start: the build failed.');
    process.exit(result.status ?? 1);
  }
}

/** Generated demo data (1,000 customers) the first time; kept afterwards so that edits survive. */
function ensureDemoWorkspace() {
  mkdirSync(DEMO_WORKSPACE, { recursive: true });
  if (existsSync(DEMO_FILE)) return;
  if (!existsSync(CLI)) {
    console.warn('npm start: dist/cli.js is missing, so demo-workspace/ starts empty.');
    return;
  }
  const args = [CLI, 'demo', '--customers', '1000', '--file', DEMO_FILE];
  console.log(`npm start: generating demo data: node ${args.map((a) => a.replace(`${ROOT}/`, '')).join(' ')}`);
  const result = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0 || !existsSync(DEMO_FILE)) {
    const reason = (result.stderr || result.stdout || '').trim().split('\n').slice(-3).join('\n');
    console.warn(`npm start: could not generate demo data (the CLI's \`demo\` command failed), so demo-workspace/ starts empty.\n${reason}`);
  }
}

function openInDesktop(desktop) {
  console.log(`npm start: opening demo-workspace/ in VS Code ${desktop.version} with the extension in development mode`);
  const child = spawn(desktop.cli, [`--extensionDevelopmentPath=${ROOT}`, DEMO_WORKSPACE], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}

async function openInServer() {
  const port = process.env.LOYAL_PORT ? Number(process.env.LOYAL_PORT) : await findFreePort(3210);
  // A user-data dir kept between runs, so that layout and settings changes survive a restart.
  const server = await startServer({ port, userDataDir: join(CACHE_DIR, 'start-user-data'), echo: process.env.LOYAL_VERBOSE === '1' });
  const url = workbenchUrl({ port, folder: DEMO_WORKSPACE, extensionPath: ROOT });
  console.log(`\nLoyal is running in VS Code server ${server.version} (no desktop VS Code found).`);
  console.log(`Open this address in a browser (forward port ${port} when working over SSH):\n\n  ${url}\n`);
  console.log('After changing the code: `npm run build` (or `npm run watch`), then "Developer: Reload Window".');
  console.log('Press Ctrl-C to stop.');

  let stopping = false;
  const shutdown = async (signal) => {
    if (stopping) return;
    stopping = true;
    console.log(`\nnpm start: ${signal}, stopping the VS Code server ...`);
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  server.exited.then(({ code, signal }) => {
    if (stopping) return;
    console.error(`npm start: the VS Code server stopped on its own (code ${code}, signal ${signal}).\n${server.output().split('\n').slice(-20).join('\n')}`);
    process.exit(1);
  });
}

build();
ensureDemoWorkspace();
const desktop = process.env.LOYAL_START_HOST === 'server' ? null : desktopVSCode();
if (desktop) openInDesktop(desktop);
else await openInServer();
