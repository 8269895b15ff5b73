#!/usr/bin/env node
// `npm run attack`: the attack pass of the README's reliability section, as a tester runs it
// against the `loyal` command line (dist/cli.js, so `npm run build` first): several writers
// at once, SIGKILL during saves of a 50 MB book, a full disk, read-only files and folders,
// strange data files, a 50 MB string and 200 random mutations of a valid file. Every case
// says whether it was handled (a clear message or the right result, the file intact) and
// what was lost. Slow (a few minutes): not part of `npm test`; the fast cases are unit tests
// in test/unit/cli/attacks.test.ts. Run as root to get the full disk (a tmpfs is mounted)
// and the read-only cases (run as `nobody` through setpriv); otherwise they are skipped.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist', 'cli.js');
if (!existsSync(CLI)) {
  console.error('attack: dist/cli.js is missing: run `npm run build` first.');
  process.exit(2);
}
const only = process.argv.slice(2);
const work = mkdtempSync(join(tmpdir(), 'loyal-attack-'));
// The read-only cases run as `nobody`, who must be able to reach the folders.
chmodSync(work, 0o755);
const results = [];
const isRoot = process.getuid?.() === 0;
const ENV = { PATH: process.env.PATH, TZ: 'Europe/Rome', LOYAL_USER: 'Attacker' };

function loyal(args, { cwd = work, asNobody = false, timeout = 120_000 } = {}) {
  const command = asNobody ? 'setpriv' : process.execPath;
  const argv = asNobody ? ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, ...args] : [CLI, ...args];
  const run = spawnSync(command, argv, { cwd, env: ENV, encoding: 'utf8', timeout, maxBuffer: 256 * 1024 * 1024 });
  return { status: run.status, signal: run.signal, stdout: run.stdout ?? '', stderr: run.stderr ?? '' };
}

function loyalAsync(args, cwd = work) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: ENV });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (status, signal) => resolve({ status, signal, stderr }));
  });
}

const sha = (path) => createHash('sha1').update(readFileSync(path)).digest('hex');
const book = (path) => JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''));
/** A crash rather than a message: a stack trace, or an exit code the CLI contract does not have. */
const crashed = (run) => run.signal !== null || ![0, 1, 2].includes(run.status) || /\n\s+at .+:\d+:\d+|TypeError|RangeError|ReferenceError/.test(run.stderr);

function record(name, handled, lost, note = '') {
  results.push({ name, handled, lost, note });
  console.log(`${handled ? 'handled' : 'NOT HANDLED'}  ${name}${lost ? `  LOST: ${lost}` : ''}${note ? `  (${note})` : ''}`);
}

function want(name) {
  return only.length === 0 || only.some((word) => name.includes(word));
}

/** A fresh folder with a small valid book in it. */
function folderWithBook(name, customers = 3) {
  const folder = join(work, name);
  mkdirSync(folder, { recursive: true });
  loyal(['init'], { cwd: folder });
  for (let i = 0; i < customers; i++) loyal(['add', 'customer', '--name', `Customer ${i}`, '--external-id', `C${i}`], { cwd: folder });
  return folder;
}

// ---- Several writers at once ------------------------------------------------------------

async function concurrentWriters(processes, adds) {
  const name = `${processes} processes writing at once (${adds} purchases each)`;
  if (!want('writers')) return;
  const folder = folderWithBook(`writers-${processes}`, 1);
  // A book of some size, so that saves take long enough to overlap.
  loyal(['demo', '--customers', '300', '--incidents', '3000', '--file', 'loyal.json', '--force'], { cwd: folder });
  const customer = book(join(folder, 'loyal.json')).customers[0].id;
  const before = book(join(folder, 'loyal.json')).purchases.length;
  const writer = async (w) => {
    const failures = [];
    for (let i = 0; i < adds; i++) {
      const run = await loyalAsync(['add', 'purchase', '--customer', customer, '--amount', '1.00', '--date', '2026-01-05', '--note', `w${w}-${i}`], folder);
      if (run.status !== 0) failures.push(run.stderr.trim().split('\n')[0]);
    }
    return failures;
  };
  const failures = (await Promise.all(Array.from({ length: processes }, (_, w) => writer(w)))).flat();
  const after = book(join(folder, 'loyal.json')).purchases;
  const notes = new Set(after.map((p) => p.note));
  const missing = [];
  for (let w = 0; w < processes; w++) for (let i = 0; i < adds; i++) if (!notes.has(`w${w}-${i}`)) missing.push(`w${w}-${i}`);
  const check = loyal(['check', '--file', join(folder, 'loyal.json')]);
  const lost = missing.length ? `${missing.length} of ${processes * adds} purchases` : '';
  record(
    name,
    check.status === 0 && missing.length === 0 && after.length === before + processes * adds - failures.length,
    lost,
    failures.length ? `${failures.length} refused: ${failures[0]}` : `${after.length - before} added, file valid`,
  );
}

// ---- SIGKILL during saves of a 50 MB book ------------------------------------------------

async function killDuringSaves(trials) {
  const name = `SIGKILL during saves of a 50 MB book (${trials} kills)`;
  if (!want('kill')) return;
  const folder = join(work, 'kill');
  mkdirSync(folder, { recursive: true });
  loyal(['demo', '--customers', '4000', '--incidents', '40000', '--file', 'loyal.json'], { cwd: folder });
  const path = join(folder, 'loyal.json');
  const size = statSync(path).size;
  let customers = book(path).customers.length;
  // How long one save takes here: the kills are spread over it.
  const started = Date.now();
  loyal(['add', 'customer', '--name', 'Timing'], { cwd: folder });
  const saveMs = Date.now() - started;
  customers += 1;
  const broken = [];
  const stuck = [];
  let killedAfterWrite = 0;
  for (let t = 0; t < trials; t++) {
    const delay = Math.round((saveMs * (t + 0.5)) / trials);
    const child = spawn(process.execPath, [CLI, 'add', 'customer', '--name', `Killed ${t}`], { cwd: folder, env: ENV, stdio: 'ignore' });
    const closed = new Promise((r) => child.once('close', r));
    await Promise.race([new Promise((r) => setTimeout(r, delay)), closed]);
    child.kill('SIGKILL');
    await closed;
    const check = loyal(['check', '--json', '--file', path]);
    if (check.status !== 0) {
      broken.push(`kill at ${delay} ms: ${check.stderr.split('\n')[0]}`);
      break;
    }
    const now = book(path).customers.length;
    if (now !== customers && now !== customers + 1) broken.push(`kill at ${delay} ms: ${customers} customers became ${now}`);
    if (now === customers + 1) killedAfterWrite++;
    customers = now;
    // The next writer must not be blocked by the lock the killed one held.
    const next = loyal(['add', 'customer', '--name', `After ${t}`], { cwd: folder, timeout: 60_000 });
    if (next.status !== 0) stuck.push(`after the kill at ${delay} ms: ${next.stderr.split('\n')[0] || next.signal}`);
    else customers += 1;
  }
  const temps = readdirSync(folder).filter((n) => n.endsWith('.tmp'));
  record(
    name,
    broken.length === 0 && stuck.length === 0,
    broken.join('; '),
    `${(size / 1e6).toFixed(0)} MB, a save takes ${saveMs} ms; ${killedAfterWrite} kills came after the new file was in place; ${stuck.length ? `blocked: ${stuck[0]}; ` : ''}${temps.length} temp files left (overwritten by the next save)`,
  );
}

// ---- A full disk ----------------------------------------------------------------------

function fullDisk() {
  const name = 'full disk (an 8 MB tmpfs)';
  if (!want('disk')) return;
  if (!isRoot) return record(name, true, '', 'skipped: mounting a tmpfs needs root');
  const mount = join(work, 'tmpfs');
  mkdirSync(mount);
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mount], { encoding: 'utf8' });
  if (mounted.status !== 0) return record(name, true, '', `skipped: mount failed: ${mounted.stderr.trim()}`);
  try {
    loyal(['demo', '--customers', '200', '--incidents', '2000', '--file', 'loyal.json'], { cwd: mount });
    const path = join(mount, 'loyal.json');
    loyal(['add', 'customer', '--name', 'Before'], { cwd: mount });
    const size = statSync(path).size;
    // Fill the disk up to less than one more copy of the book.
    const free = Number(spawnSync('df', ['--output=avail', '-B1', mount], { encoding: 'utf8' }).stdout.split('\n')[1]);
    writeFileSync(join(mount, 'filler'), Buffer.alloc(Math.max(0, free - Math.floor(size / 2))));
    const before = sha(path);
    const run = loyal(['add', 'customer', '--name', 'No room'], { cwd: mount });
    const intact = sha(path) === before && loyal(['check', '--file', path]).status === 0;
    const temps = readdirSync(mount).filter((n) => n.endsWith('.tmp'));
    rmSync(join(mount, 'filler'));
    const again = loyal(['add', 'customer', '--name', 'Room again'], { cwd: mount });
    record(
      name,
      run.status === 1 && !crashed(run) && intact && temps.length === 0 && again.status === 0,
      intact ? '' : 'the data file changed or broke',
      `exit ${run.status}: ${run.stderr.trim().split('\n')[0]}; ${temps.length} temp files left; after freeing space: exit ${again.status}`,
    );
  } finally {
    spawnSync('umount', [mount]);
  }
}

// ---- Read-only file and folder ------------------------------------------------------------

function readOnly() {
  if (!want('read-only')) return;
  if (!isRoot) {
    record('read-only data file', true, '', 'skipped: needs root to run as nobody (root ignores permissions)');
    record('read-only folder', true, '', 'skipped: needs root to run as nobody');
    return;
  }
  // The file read-only, its folder writable (by the user running loyal).
  {
    const folder = folderWithBook('read-only-file');
    chownSync(folder, 65534, 65534);
    for (const entry of readdirSync(folder, { recursive: true })) chownSync(join(folder, entry), 65534, 65534);
    const path = join(folder, 'loyal.json');
    chmodSync(path, 0o444);
    const before = sha(path);
    const run = loyal(['add', 'customer', '--name', 'Refused'], { cwd: folder, asNobody: true });
    const unchanged = sha(path) === before && (statSync(path).mode & 0o777) === 0o444;
    record('read-only data file', run.status === 1 && !crashed(run) && unchanged, unchanged ? '' : 'the read-only file was replaced', `exit ${run.status}: ${run.stderr.trim().split('\n')[0]}`);
  }
  // The folder read-only: no temp file, no lock, no backup can be made.
  {
    const folder = folderWithBook('read-only-folder');
    for (const entry of readdirSync(folder, { recursive: true })) chownSync(join(folder, entry), 65534, 65534);
    chmodSync(folder, 0o555);
    const path = join(folder, 'loyal.json');
    const before = sha(path);
    const run = loyal(['add', 'customer', '--name', 'Refused'], { cwd: folder, asNobody: true });
    const read = loyal(['check'], { cwd: folder, asNobody: true });
    chmodSync(folder, 0o755);
    record(
      'read-only folder',
      run.status === 1 && !crashed(run) && sha(path) === before && read.status === 0,
      sha(path) === before ? '' : 'the data file changed',
      `add: exit ${run.status}: ${run.stderr.trim().split('\n')[0]}; check still reads it: exit ${read.status}`,
    );
  }
}

// ---- Strange data files -----------------------------------------------------------------

function strangeFiles() {
  if (!want('strange')) return;
  const folder = folderWithBook('strange');
  const valid = readFileSync(join(folder, 'loyal.json'), 'utf8');
  const refusedUnchanged = (name, path, note = '') => {
    const before = existsSync(path) && statSync(path).isFile() ? sha(path) : 'not a file';
    const check = loyal(['check', '--file', path]);
    const add = loyal(['add', 'customer', '--name', 'X', '--file', path]);
    const after = existsSync(path) && statSync(path).isFile() ? sha(path) : 'not a file';
    record(
      name,
      check.status === 1 && add.status === 1 && !crashed(check) && !crashed(add) && before === after,
      before === after ? '' : 'the file was written over',
      `${note}${check.stderr.trim().split('\n')[0]}`,
    );
  };
  const accepted = (name, path, expect) => {
    const add = loyal(['add', 'customer', '--name', 'Added', '--file', path]);
    const check = loyal(['check', '--file', path]);
    const customers = check.status === 0 ? book(path).customers.length : -1;
    record(
      name,
      add.status === 0 && check.status === 0 && customers === 4,
      customers === 4 || customers === -1 ? '' : `${4 - customers} customers`,
      `${expect}; ${customers} customers after one more`,
    );
  };

  // The data file replaced by a directory.
  mkdirSync(join(folder, 'dir.json'));
  refusedUnchanged('data file replaced by a directory', join(folder, 'dir.json'));

  // A symbolic link to the real file (in a synced folder, say).
  mkdirSync(join(folder, 'synced'));
  writeFileSync(join(folder, 'synced', 'book.json'), valid);
  symlinkSync(join('synced', 'book.json'), join(folder, 'link.json'));
  {
    const add = loyal(['add', 'customer', '--name', 'Through the link', '--file', join(folder, 'link.json')]);
    const stillLink = spawnSync('test', ['-L', join(folder, 'link.json')]).status === 0;
    const real = book(join(folder, 'synced', 'book.json')).customers.some((c) => c.name === 'Through the link');
    const backups = readdirSync(join(folder, '.loyal', 'backups')).filter((n) => n.startsWith('link.json.'));
    const backupReal =
      backups.length > 0 &&
      statSync(join(folder, '.loyal', 'backups', backups[0])).isFile() &&
      !JSON.parse(readFileSync(join(folder, '.loyal', 'backups', backups[0]), 'utf8')).customers.some((c) => c.name === 'Through the link');
    record(
      'data file replaced by a symbolic link',
      add.status === 0 && stillLink && real && backupReal,
      real ? '' : 'the change went to a copy, not the real file',
      `link kept: ${stillLink}; real file updated: ${real}; backup holds the previous version: ${backupReal}`,
    );
  }
  // A dangling link.
  symlinkSync(join(folder, 'nowhere', 'book.json'), join(folder, 'dangling.json'));
  {
    const check = loyal(['check', '--file', join(folder, 'dangling.json')]);
    record('symbolic link to nothing', check.status === 1 && !crashed(check), '', check.stderr.trim().split('\n')[0]);
  }

  writeFileSync(join(folder, 'empty.json'), '');
  refusedUnchanged('0-byte data file', join(folder, 'empty.json'));

  writeFileSync(join(folder, 'bom.json'), `\uFEFF${valid}`);
  accepted('data file with a UTF-8 BOM', join(folder, 'bom.json'), 'read; saved without the BOM');

  writeFileSync(join(folder, 'crlf.json'), valid.replace(/\n/g, '\r\n'));
  accepted('data file with CRLF line ends', join(folder, 'crlf.json'), 'read and saved');

  // A 50 MB string where a note goes (a paste gone wrong, or an attack on memory).
  {
    const file = JSON.parse(valid);
    file.customers[0].notes = 'x'.repeat(50 * 1024 * 1024);
    writeFileSync(join(folder, 'huge-string.json'), JSON.stringify(file, null, 2));
    refusedUnchanged('a 50 MB string in a note', join(folder, 'huge-string.json'));
    const summary = loyal(['add', 'incident', '--customer', 'C0', '--category', 'product', '--channel', 'email', '--summary', 'y'.repeat(100_000)], { cwd: folder });
    record('a 100 kB summary on the command line', [1, 2].includes(summary.status) && !crashed(summary) && summary.stderr.length < 2000, '', summary.stderr.trim().split('\n')[0].slice(0, 120));
  }
}

// ---- 200 random mutations of a valid file --------------------------------------------------

function mutations(count) {
  const name = `${count} random mutations of a valid file`;
  if (!want('mutation')) return;
  const folder = folderWithBook('mutations');
  loyal(['add', 'incident', '--customer', 'C0', '--category', 'product', '--channel', 'email', '--tag', 'late', '--summary', 'Arrived late'], { cwd: folder });
  loyal(['add', 'purchase', '--customer', 'C1', '--amount', '12.50', '--date', '2026-01-05'], { cwd: folder });
  const valid = readFileSync(join(folder, 'loyal.json'), 'utf8');
  let seed = 14;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pick = (n) => Math.floor(random() * n);
  const ops = [
    (t) => t.slice(0, pick(t.length)),
    (t) => {
      const i = pick(t.length);
      return t.slice(0, i) + t.slice(i + 1 + pick(20));
    },
    (t) => {
      const i = pick(t.length);
      return t.slice(0, i) + '{}[]",:0-e\u0000\uFFFF\uD800é'[pick(14)] + t.slice(i);
    },
    (t) => {
      const i = pick(t.length);
      return t.slice(0, i) + String.fromCharCode(pick(0x3000)) + t.slice(i + 1);
    },
    (t) => {
      const lines = t.split('\n');
      const i = pick(lines.length);
      lines.splice(i, 0, lines[pick(lines.length)]);
      return lines.join('\n');
    },
    (t) => {
      const lines = t.split('\n');
      lines.splice(pick(lines.length), 1);
      return lines.join('\n');
    },
    (t) => t.replace(/"[a-zA-Z]+": /, (m) => (random() < 0.5 ? '"bogus": ' : m.toUpperCase())),
    (t) => t.replace(/\d/, () => String(pick(10))),
    (t) => t.replace(/"(\d{4}-\d{2}-\d{2})/, '"2026-02-30'),
    (t) => t.replace(/: "[^"]*"/, ': null'),
    (t) => t.replace(/: \[/, ': {'),
    (t) => {
      const lines = t.split('\n');
      const i = pick(lines.length);
      lines.splice(i, 0, '<<<<<<< HEAD', lines[i] ?? '', '=======', '>>>>>>> theirs');
      return lines.join('\n');
    },
    (t) => t.replace(/"schemaVersion": \d+/, `"schemaVersion": ${pick(5) - 1}`),
    (t) => t.replace(/"id": "([a-z]+)_/, '"id": "$1-'),
  ];
  let rejected = 0;
  let accepted = 0;
  const problems = [];
  for (let n = 0; n < count; n++) {
    let text = valid;
    for (let k = 1 + pick(3); k > 0; k--) text = ops[pick(ops.length)](text);
    const path = join(folder, 'mutated.json');
    writeFileSync(path, text);
    const before = sha(path);
    const check = loyal(['check', '--file', path]);
    if (crashed(check)) {
      problems.push(`mutation ${n}: check crashed: ${check.stderr.slice(0, 200)}`);
      continue;
    }
    const add = loyal(['add', 'customer', '--name', 'Mutant', '--file', path]);
    if (crashed(add)) problems.push(`mutation ${n}: add crashed: ${add.stderr.slice(0, 200)}`);
    if (check.status === 0) {
      accepted++;
      if (add.status !== 0 || loyal(['check', '--file', path]).status !== 0) problems.push(`mutation ${n}: readable, but the add failed or broke it: ${add.stderr.slice(0, 200)}`);
    } else {
      rejected++;
      if (add.status !== 1 || sha(path) !== before) problems.push(`mutation ${n}: unreadable, and the add ${add.status === 0 ? 'wrote over it' : `exited ${add.status}`}`);
    }
  }
  if (problems.length) writeFileSync(join(work, 'mutation-problems.txt'), problems.join('\n'));
  record(
    name,
    problems.length === 0,
    problems.filter((p) => /wrote over|broke/.test(p)).length ? 'files written over' : '',
    `${rejected} refused with a message and left as they were, ${accepted} still valid and saved; ${problems.length} problems${problems.length ? `: ${problems[0]}` : ''}`,
  );
}

const started = Date.now();
try {
  await concurrentWriters(2, 10);
  await concurrentWriters(4, 8);
  await concurrentWriters(8, 5);
  await killDuringSaves(12);
  fullDisk();
  readOnly();
  strangeFiles();
  mutations(200);
} finally {
  console.log(`\n| case | handled | lost |\n|---|---|---|`);
  for (const r of results) console.log(`| ${r.name} | ${r.handled ? 'yes' : '**no**'}${r.note ? `: ${r.note.replace(/\|/g, '\\|')}` : ''} | ${r.lost || 'nothing'} |`);
  console.log(`\nattack: ${results.filter((r) => !r.handled).length} of ${results.length} cases not handled, in ${((Date.now() - started) / 1000).toFixed(0)} s (work folder ${work})`);
  if (!process.env.LOYAL_ATTACK_KEEP) rmSync(work, { recursive: true, force: true });
}
process.exitCode = results.every((r) => r.handled) ? 0 : 1;
