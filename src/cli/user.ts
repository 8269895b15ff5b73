// Who is making a change, for the audit fields: --user, else LOYAL_USER, else git's
// user.name (the same name the extension falls back to), else the account name.
import { execFileSync } from 'node:child_process';
import { userInfo } from 'node:os';

export function currentUser(flag: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string {
  const given = flag?.trim() || env.LOYAL_USER?.trim();
  if (given) return given;
  try {
    const name = execFileSync('git', ['config', 'user.name'], { cwd, encoding: 'utf8', timeout: 3000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (name) return name;
  } catch {
    // No git, or no user.name configured: fall through to the account name.
  }
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}
