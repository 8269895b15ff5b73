// The page's side of the message loop: every message from the host is checked with the
// shared zod schema before it is used; one that does not fit is refused with a banner.
import type { z } from 'zod';
import { describeIssues } from '../../src/panels/protocol';

export interface HostLink<Out> {
  post(message: Out): void;
  getState<S>(): S | undefined;
  setState<S>(state: S): void;
}

const vscodeApi = acquireVsCodeApi();

export function connect<In, Out>(schema: z.ZodType<In>, onMessage: (message: In) => void, onRefused: (detail: string) => void): HostLink<Out> {
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const parsed = schema.safeParse(event.data);
    if (!parsed.success) {
      onRefused(describeIssues(parsed.error));
      return;
    }
    onMessage(parsed.data);
  });
  return {
    post: (message) => vscodeApi.postMessage(message),
    getState: <S>() => vscodeApi.getState() as S | undefined,
    setState: (state) => vscodeApi.setState(state),
  };
}

let counter = 0;
export function requestId(): string {
  counter += 1;
  return `${Date.now().toString(36)}-${counter}`;
}

/** "{0} of {1}" with the arguments in place. */
export function fmt(template: string, ...args: Array<string | number>): string {
  return template.replace(/\{(\d+)\}/g, (match, index: string) => (args[Number(index)] !== undefined ? String(args[Number(index)]) : match));
}
