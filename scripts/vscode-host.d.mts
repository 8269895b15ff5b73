// Types of the parts of vscode-host.mjs that TypeScript callers (the bench) use.
export function ensureServer(): Promise<unknown>;
export function runTestsInHost(options: {
  workspace: string;
  extensionPath?: string;
  testsPath?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  verbose?: boolean;
  announce?: (line: string) => void;
  settings?: Record<string, unknown>;
}): Promise<number>;
