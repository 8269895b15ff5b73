// Restricted mode (an untrusted workspace, such as a freshly cloned repository): the
// workspace may ship `.vscode/settings.json` and symbolic links, and neither may make Loyal
// read, write or back up a file outside the workspace folders. The data file, the folder it
// is in and its `.loyal/` folder (lock, backups, print cards) are followed through every
// symbolic link to where they really are; all must be inside one of the folders.
import { readlink, realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** Whether `path` (already real, absolute) is `folder` or inside it. */
function within(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * Where a path really is: the deepest part of it that exists, resolved, with the rest added
 * back. A link to something that does not exist yet is followed too (a write through it would
 * create its target).
 */
async function realLocation(path: string, hops = 0): Promise<string> {
  const missing: string[] = [];
  let current = resolve(path);
  for (;;) {
    try {
      return join(await realpath(current), ...missing.reverse());
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      const target = await readlink(current).catch(() => undefined);
      if (target !== undefined && hops < 40) return realLocation(join(resolve(dirname(current), target), ...missing.reverse()), hops + 1);
      // A part that does not exist yet: go up one level.
      const parent = dirname(current);
      if (parent === current) return join(current, ...missing.reverse());
      missing.push(basename(current));
      current = parent;
    }
  }
}

/**
 * In restricted mode: undefined when the data file at `dataPath`, and its `.loyal/` folder,
 * are really inside one of `folders`; otherwise the real location that is outside (for the
 * message). A data file that is a link to a file outside is refused even when the link is
 * inside: reading it would show (and back up) a file the workspace chose.
 */
export async function outsideWorkspace(dataPath: string, folders: readonly string[]): Promise<string | undefined> {
  const roots = await Promise.all(folders.map((folder) => realLocation(folder)));
  for (const candidate of [dataPath, join(dirname(dataPath), '.loyal')]) {
    const real = await realLocation(candidate);
    if (!roots.some((root) => within(real, root))) return real;
  }
  return undefined;
}

/**
 * The `loyal.dataFile` value to use in restricted mode: the user's own setting or the
 * default, never one from the workspace's settings (VS Code already withholds it through
 * `restrictedConfigurations`; this holds in hosts that do not).
 */
export function restrictedDataFileSetting(inspected: { defaultValue?: string; globalValue?: string } | undefined): string {
  return inspected?.globalValue || inspected?.defaultValue || 'loyal.json';
}
