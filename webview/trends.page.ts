// Entry of the trend review page: wires the VS Code webview API to the review. Every
// message from the host is checked against the protocol before it is drawn.
import './shared/zodConfig';
import '@vscode/codicons/dist/codicon.css';
import './trends/trends.css';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { PageToHost } from '../src/panels/trendsModel';
import { TrendsHostMessage } from '../src/panels/trendsProtocol';
import { describeIssues } from '../src/panels/protocol';
import { TrendReview } from './trends/review';
import type { PageState } from './trends/review';
import { onThemeChange } from './trends/theme';

const vscode = acquireVsCodeApi<PageState>();
const app = document.getElementById('app') ?? document.body;
// The shell marks #app live; a whole dashboard re-announced on each redraw is noise, so the
// review keeps its own small status region instead.
app.removeAttribute('aria-live');
let review: TrendReview | undefined;

const host = {
  post: (message: PageToHost): void => vscode.postMessage(message),
  getState: (): PageState | undefined => vscode.getState(),
  setState: (state: PageState): void => {
    vscode.setState(state);
  },
};

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const parsed = TrendsHostMessage.safeParse(event.data);
  if (!parsed.success) {
    // What is on screen stays as it was; the host logs why.
    host.post({ type: 'refused', detail: describeIssues(parsed.error).slice(0, 2000) });
    return;
  }
  const message = parsed.data;
  const receivedAt = performance.now();
  const report = (rendered: Parameters<Parameters<TrendReview['show']>[2]>[0]): void => host.post({ type: 'rendered', rendered });
  switch (message.type) {
    case 'init':
      review = new TrendReview(app, host, message.strings, message.locale);
      review.show(message.payload, receivedAt, report);
      break;
    case 'report':
      review?.show(message.payload, receivedAt, report);
      break;
    case 'drillResult':
      review?.showDrill(message.result);
      break;
    case 'applyQuery':
      review?.applyQuery(message.query);
      break;
    case 'error':
      if (review) review.showError(message.message);
      else app.replaceChildren(Object.assign(document.createElement('p'), { className: 'error', textContent: message.message }));
      break;
  }
});

onThemeChange(() => review?.themeChanged());
host.post({ type: 'ready' });
