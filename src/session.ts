// One Loyal book open in this window: the store, the current user, the settings, and
// derived figures (lifetime values, the morning review) cached per store version so the
// views never recompute them on the UI path more than once per change.
import * as vscode from 'vscode';
import { LoyalStore } from './store/store';
import type { LoyalFile } from './domain/records';
import { dataFilePath, readSettings, resolveCurrentUser, type LoyalSettings } from './settings';
import { BookFigures } from './figures';
import type { LtvBook } from './domain/ltv/types';
import { ltvInputOf, type LtvService } from './ltv/ltvService';
import { today } from './domain/time';
import { keepInTouchDue } from './domain/quiet';
import { isAbsolute } from 'node:path';
import { outsideWorkspace } from './store/confine';
import { LtvEstimates } from './ltv/estimates';
import { translatedNotePhrases } from './notePhrases';

/** How long after a change of the book its values start being estimated (the views answer first). */
const ESTIMATE_DELAY_MS = 50;

/** `restricted`: an untrusted workspace whose data file is really outside its folders, not opened. */
export type SessionState = 'noWorkspace' | 'restricted' | 'missing' | 'ok' | 'broken';

export class LoyalSession implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after the book or its state changed (own write, reload, settings). */
  readonly onDidChange = this.changed.event;
  private disposables: vscode.Disposable[] = [];
  private storeListener: (() => void) | undefined;
  private figuresCache: { store: LoyalStore; version: number; ltv: LtvBook | undefined; figures: BookFigures } | undefined;
  /** Note phrases in the display language, for the suggested text of handwritten notes. */
  private readonly notePhrases = translatedNotePhrases();
  /**
   * The lifetime values, estimated a moment after each change of the book: gathering the
   * model's input from a big book and handing it to the worker takes a while, and the first
   * render of a book (status bar, badge, Today) should not wait for it. Until the estimate
   * of a version lands the views show the previous one (or none on the first load), then refresh.
   */
  private readonly estimates = new LtvEstimates({
    start: (version) => {
      const store = this.store;
      if (!store || store.state.kind !== 'ok' || store.version !== version) return undefined;
      return this.ltvService.estimate(ltvInputOf(store.file, this.settings, today()));
    },
    onEstimate: () => this.changed.fire(),
    onError: (error) => void vscode.window.showErrorMessage(vscode.l10n.t('Loyal could not estimate lifetime values: {0}', error.message)),
    delayMs: ESTIMATE_DELAY_MS,
  });
  store: LoyalStore | undefined;
  settings: LoyalSettings = readSettings();
  user = '';
  /** In restricted mode, where the data file really is when that is outside the workspace folders. */
  refusedPath: string | undefined;

  get state(): SessionState {
    if (!this.store) return this.refusedPath ? 'restricted' : 'noWorkspace';
    return this.store.state.kind;
  }

  get file(): LoyalFile {
    if (!this.store) throw new Error(vscode.l10n.t('Open a folder first: the Loyal book lives in a workspace folder.'));
    return this.store.file;
  }

  /**
   * Lifetime values, review and risk for the current version of the book: a cache, built on
   * first use for each version and each new estimate (the estimates are requested where the
   * book changes, not here).
   */
  get figures(): BookFigures {
    const store = this.store!;
    const ltv = this.estimates.latest?.book;
    let cached = this.figuresCache;
    if (!cached || cached.store !== store || cached.version !== store.version || cached.ltv !== ltv || cached.figures.user !== this.user) {
      // New values for the same book keep its index: only what depends on the values is redone.
      const index = cached && cached.store === store && cached.version === store.version ? cached.figures.index : undefined;
      cached = { store, version: store.version, ltv, figures: new BookFigures(store.file, this.settings, this.user, ltv, this.notePhrases, index) };
      this.figuresCache = cached;
    }
    return cached.figures;
  }

  constructor(private readonly ltvService: LtvService) {}

  /** The book changed (or was opened, or the settings did): its values are estimated anew. */
  private requestEstimate(): void {
    const store = this.store;
    if (store?.state.kind === 'ok') this.estimates.request(store.version);
    else this.estimates.stop();
  }

  /** True when the lifetime values of the current version of the book are in. */
  get valuesReady(): boolean {
    return this.store?.state.kind === 'ok' && this.estimates.latest?.version === this.store.version;
  }

  /** Resolves when the lifetime values of the current version are estimated (or failed), or there is no book to estimate. */
  settled(): Promise<void> {
    return this.estimates.whenReady;
  }

  async open(): Promise<void> {
    // Opens can overlap (activation, then a settings change while git is still asked for
    // user.name): the last one started is the one that counts, whichever finishes first.
    const generation = ++this.openGeneration;
    this.settings = readSettings();
    let path = dataFilePath(this.settings);
    this.closeStore();
    this.refusedPath = undefined;
    // Restricted mode: a path relative to the workspace (the only kind it can influence, with
    // a link in the repository) must really be inside its folders, `.loyal/` included. An
    // absolute path can only come from the user's own settings there.
    if (path && !vscode.workspace.isTrusted && !isAbsolute(this.settings.dataFile)) {
      const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
      this.refusedPath = await outsideWorkspace(path, folders);
      if (this.refusedPath) path = undefined;
    }
    if (path) {
      // Who the user is (git may be asked, which can take longer than the read) is found while
      // the file is read, and the book is shown without waiting for it: a write made before
      // git answers waits for the answer (see userForStore), and the views are drawn again if
      // they were drawn for nobody.
      const userKnown = this.resolveUser();
      const store = await LoyalStore.open(path, { user: this.userForStore, showUnchecked: true });
      if (generation !== this.openGeneration) {
        store.dispose();
        return;
      }
      this.store = store;
      this.storeListener = this.store.onDidChange(() => {
        this.requestEstimate();
        this.changed.fire();
      });
      this.requestEstimate();
      this.changed.fire();
      // After the views are drawn: a new window's first file watcher takes 15-35 ms to set up.
      // A change on disk in between is not lost: every save merges with what is on disk.
      this.watch(path);
      await userKnown;
      if (generation !== this.openGeneration) return;
      if (this.figuresCache && this.figuresCache.figures.user !== this.user) this.changed.fire();
    } else {
      await this.resolveUser();
      if (generation !== this.openGeneration) return;
      this.requestEstimate();
      this.changed.fire();
    }
    await this.planKeepInTouch();
  }

  private openGeneration = 0;
  private userGeneration = 0;

  /** The latest lookup of who the user is, while one is under way. */
  private userLookup: Promise<void> | undefined;

  /** `loyal.user` (else git's name) as the settings say now; a later call wins over an earlier one. */
  resolveUser(): Promise<void> {
    const generation = ++this.userGeneration;
    const lookup = resolveCurrentUser(readSettings(), vscode.workspace.workspaceFolders?.[0]?.uri.fsPath).then((user) => {
      if (generation !== this.userGeneration) return;
      this.user = user;
      this.userLookup = undefined;
    });
    this.userLookup = lookup;
    return lookup;
  }

  /** Resolves once who the user is has been found (at once when it is known). */
  async whenUserKnown(): Promise<void> {
    // A lookup started meanwhile (loyal.user changed) replaces the one awaited.
    while (this.userLookup) await this.userLookup;
  }

  /** Who the store records as making a change: at once when known, else once git has answered. */
  private readonly userForStore = (): string | Promise<string> => (this.userLookup ? this.whenUserKnown().then(() => this.user) : this.user);

  /** `loyal.user` changed: who makes the changes, without reading the book again. */
  async userChanged(): Promise<void> {
    await this.resolveUser();
    this.settingsChanged();
  }

  /**
   * Customers with a keep-in-touch cadence get their next follow-up planned, when the book
   * opens and after outside changes. Idempotent: a customer with one pending gets no other.
   */
  private async planKeepInTouch(): Promise<void> {
    await this.whenUserKnown();
    const store = this.store;
    if (!store || store.state.kind !== 'ok') return;
    // The index of this version is shared with the views' figures, not built a second time.
    const drafts = keepInTouchDue(this.figures.index, today());
    if (drafts.length === 0) return;
    try {
      await store.update((tx) => {
        for (const draft of drafts) tx.insert('followUps', { ...draft, assignee: draft.assignee ?? this.user });
      });
    } catch {
      // A file that became unreadable meanwhile: the views already say so.
    }
  }

  /** Opens the book again, or re-reads the settings or the user, as the workspace changes. */
  followWorkspace(): vscode.Disposable[] {
    return [
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('loyal.dataFile')) void this.open();
        else if (e.affectsConfiguration('loyal.user')) void this.userChanged();
        else if (e.affectsConfiguration('loyal')) this.settingsChanged();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.open()),
      // Restricted mode ends: the workspace's own loyal.dataFile and git's user.name now count.
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.open()),
    ];
  }

  settingsChanged(): void {
    this.settings = readSettings();
    this.figuresCache = undefined;
    this.estimates.reset();
    this.requestEstimate();
    this.changed.fire();
  }

  private watch(path: string): void {
    for (const d of this.disposables) d.dispose();
    const uri = vscode.Uri.file(path);
    const folder = vscode.Uri.joinPath(uri, '..');
    const name = uri.path.split('/').pop()!;
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, name));
    const reload = (): void => void this.reload();
    this.disposables = [watcher, watcher.onDidChange(reload), watcher.onDidCreate(reload), watcher.onDidDelete(reload)];
  }

  /** Re-reads the file after an outside change; the store ignores its own writes. */
  async reload(): Promise<void> {
    if (!this.store) return;
    const result = await this.store.reload();
    if (result !== 'unchanged') {
      this.changed.fire();
      await this.planKeepInTouch();
    }
  }

  private closeStore(): void {
    this.estimates.reset();
    this.storeListener?.();
    this.store?.dispose();
    this.store = undefined;
  }

  dispose(): void {
    this.estimates.dispose();
    this.closeStore();
    for (const d of this.disposables) d.dispose();
    this.changed.dispose();
  }
}
