// The import page: choose a file, see the source Loyal recognised (or map its columns),
// the first rows as Loyal records, every problem row with its line and reason, and the
// summary, all before anything is written. Importing is all or nothing, in one store
// update; reading and checking a big file shows progress and can be cancelled up to the
// moment of writing. Column mappings are remembered per header signature, and the
// tag-to-category choices for help desks, in the workspace (workspaceState).
import * as vscode from 'vscode';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { z } from 'zod';
import type { LoyalSession } from '../session';
import { planImport, type ImportTransaction } from '../domain/csv';
import { Category, emptyFile, type LoyalFile } from '../domain/records';
import { decodeBytes } from '../domain/import/decode';
import { readCsv } from '../domain/import/table';
import { headerSignature, MAPPABLE_FIELDS, type MappedKind, type MappingChoice } from '../domain/import/mapping';
import { headerOf, isKnownExport, planFileImport, type FilePlan, type ImportSummary } from '../domain/import/plan';
import { SKIP_KINDS, type SkipKind } from '../domain/import/batch';
import { DATE_FORMATS } from '../domain/import/values';
import { WebviewBase } from './webviewBase';

export interface ImportPanelDeps {
  extensionUri: vscode.Uri;
  session: LoyalSession;
  memory: vscode.Memento;
}

const KINDS = ['customers', 'purchases', 'incidents'] as const;

/** What the page shows of a plan (plain data; the page renders it as text). */
export interface ImportView {
  fileName: string;
  source: FilePlan['source'];
  sourceLabel: string;
  kind: MappedKind | undefined;
  encoding: string;
  separator: string;
  rows: number;
  header: string[];
  sample: string[][];
  errors: Array<{ line: number; column?: string; message: string }>;
  /** How many problem rows could be skipped, by kind (test-mode, no-customer). */
  skippable: Partial<Record<SkipKind, number>>;
  skip: SkipKind[];
  previewColumns: string[];
  preview: FilePlan['preview'];
  summary: ImportSummary;
  tags: FilePlan['tags'];
  categories: Record<string, Category>;
  /** The mapping in use (any other CSV), with what Loyal guessed for each kind. */
  mapping?: MappingChoice;
  guesses?: FilePlan['guesses'];
  dateFormats?: FilePlan['dateFormats'];
  fields: Record<MappedKind, readonly string[]>;
  canImport: boolean;
  /** Loyal's own format: imported as it always was. */
  loyal: boolean;
  /** Whether the file is a known export (so the mapping can be dropped for it). */
  detected: boolean;
  /** The decimal separator the amounts seem to use (mapping). */
  decimal?: 'comma' | 'dot';
}

export type ImportHostMessage =
  | { type: 'init'; strings: Record<string, string>; view: ImportView | undefined }
  | { type: 'view'; view: ImportView }
  | { type: 'imported'; summary: ImportSummary; message: string }
  | { type: 'status'; message: string };

const Mapping = z.strictObject({
  kind: z.enum(KINDS),
  mapping: z.record(z.string().max(40), z.string().max(500)),
  dateFormat: z.enum(DATE_FORMATS).optional(),
  decimal: z.enum(['comma', 'dot']).optional(),
});

const ImportPageMessage = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready') }),
  z.strictObject({ type: z.literal('chooseFile') }),
  z.strictObject({
    type: z.literal('options'),
    /** null: back to the source Loyal recognised. */
    mapping: Mapping.nullable().optional(),
    skip: z.array(z.enum(SKIP_KINDS)).max(SKIP_KINDS.length).optional(),
    categories: z.record(z.string().max(100), Category).optional(),
  }),
  z.strictObject({ type: z.literal('import') }),
]);
type ImportPageMessage = z.infer<typeof ImportPageMessage>;

function strings(): Record<string, string> {
  return {
    title: vscode.l10n.t('Import customers, purchases or incidents'),
    intro: vscode.l10n.t('Choose an export from Shopify, Stripe, WooCommerce, Zendesk, Help Scout or Freshdesk, a file in Loyal’s own columns, or any other CSV. Nothing is written until you import.'),
    choose: vscode.l10n.t('Choose a file…'),
    detected: vscode.l10n.t('Recognised: {0}'),
    fileFacts: vscode.l10n.t('{0} rows · {1} · separator {2}'),
    unknown: vscode.l10n.t('Loyal does not know this layout: map its columns below.'),
    mapTitle: vscode.l10n.t('Map the columns'),
    mappedSource: vscode.l10n.t('Read through the column mapping below.'),
    mapHint: vscode.l10n.t('Loyal guessed from the column names and values; check each one.'),
    mapInstead: vscode.l10n.t('Map the columns myself'),
    useDetected: vscode.l10n.t('Use the recognised layout'),
    useMapping: vscode.l10n.t('Use this mapping'),
    kind: vscode.l10n.t('The rows are'),
    'kind.customers': vscode.l10n.t('Customers'),
    'kind.purchases': vscode.l10n.t('Purchases'),
    'kind.incidents': vscode.l10n.t('Incidents'),
    column: vscode.l10n.t('Column'),
    noColumn: vscode.l10n.t('(none)'),
    dateFormat: vscode.l10n.t('Dates are written'),
    dateAmbiguous: vscode.l10n.t('Both orders fit these dates: choose the one the file uses.'),
    decimal: vscode.l10n.t('Decimal separator'),
    'decimal.guess': vscode.l10n.t('Guess from each value'),
    'decimal.comma': vscode.l10n.t('Comma (12,50)'),
    'decimal.dot': vscode.l10n.t('Dot (12.50)'),
    tagsTitle: vscode.l10n.t('Tags to categories'),
    tagsHint: vscode.l10n.t('Incidents get the category of their first mapped tag; the others get “other”. Your choices are remembered in this workspace.'),
    tag: vscode.l10n.t('Tag'),
    count: vscode.l10n.t('Incidents'),
    category: vscode.l10n.t('Category'),
    'category.none': vscode.l10n.t('other (not mapped)'),
    'category.product': vscode.l10n.t('product'),
    'category.people': vscode.l10n.t('people'),
    'category.timeliness': vscode.l10n.t('timeliness'),
    'category.process': vscode.l10n.t('process'),
    'category.other': vscode.l10n.t('other'),
    otherCount: vscode.l10n.t('{0} incidents will be in the category “other”.'),
    problemTitle: vscode.l10n.t('1 problem: nothing will be imported while it is there'),
    problemsTitle: vscode.l10n.t('{0} problems: nothing will be imported while one row is wrong'),
    problemsMore: vscode.l10n.t('… and {0} more problems.'),
    line: vscode.l10n.t('Line'),
    problem: vscode.l10n.t('Problem'),
    'skip.test-mode': vscode.l10n.t('Skip test-mode charges ({0})'),
    'skip.no-customer': vscode.l10n.t('Skip rows without a customer email or id ({0})'),
    summaryTitle: vscode.l10n.t('What the import will do'),
    'summary.created': vscode.l10n.t('{0} new customers'),
    'summary.matched': vscode.l10n.t('{0} customers matched'),
    'summary.purchases': vscode.l10n.t('{0} purchases'),
    'summary.refunds': vscode.l10n.t('{0} refunds netted'),
    'summary.incidents': vscode.l10n.t('{0} incidents'),
    'summary.satisfactionChecks': vscode.l10n.t('{0} satisfaction checks'),
    'summary.updated': vscode.l10n.t('{0} already imported, updated'),
    'summary.unchanged': vscode.l10n.t('{0} already imported, unchanged'),
    skippedTitle: vscode.l10n.t('Left out'),
    'reason.pending': vscode.l10n.t('{0} pending'),
    'reason.voided': vscode.l10n.t('{0} voided'),
    'reason.cancelled': vscode.l10n.t('{0} cancelled'),
    'reason.canceled': vscode.l10n.t('{0} cancelled'),
    'reason.authorized': vscode.l10n.t('{0} authorised, not paid'),
    'reason.failed': vscode.l10n.t('{0} failed'),
    'reason.on-hold': vscode.l10n.t('{0} on hold'),
    'reason.refunded in full': vscode.l10n.t('{0} refunded in full'),
    'reason.zero amount': vscode.l10n.t('{0} with a zero amount'),
    'reason.test-mode': vscode.l10n.t('{0} test-mode charges'),
    'reason.no-customer': vscode.l10n.t('{0} without a customer'),
    'reason.uncaptured': vscode.l10n.t('{0} authorised, not captured'),
    previewTitle: vscode.l10n.t('First rows as Loyal records'),
    sampleTitle: vscode.l10n.t('First rows of the file'),
    status: vscode.l10n.t('Status'),
    'status.new': vscode.l10n.t('new'),
    'status.matched': vscode.l10n.t('matched'),
    'status.update': vscode.l10n.t('update'),
    'status.unchanged': vscode.l10n.t('already imported'),
    importButton: vscode.l10n.t('Import'),
    loyalFormat: vscode.l10n.t('Loyal’s own columns: the import checks every row, then adds them.'),
    nothingYet: vscode.l10n.t('No file chosen yet.'),
  };
}

export class ImportPanel extends WebviewBase<ImportPageMessage, ImportHostMessage> {
  private static current: ImportPanel | undefined;
  private bytes: Uint8Array | undefined;
  private path: string | undefined;
  private mapping: MappingChoice | undefined;
  private skip: SkipKind[] = [];
  private categories: Record<string, Category>;
  private plan: FilePlan | undefined;
  /** Whether the current file is a known export without the mapping. */
  private detected = false;

  /** Opens (or reveals) the import page; with a path, reads that file at once. */
  static async show(deps: ImportPanelDeps, path?: string): Promise<ImportPanel> {
    const panel = ImportPanel.current && !ImportPanel.current.isDisposed ? ImportPanel.current : new ImportPanel(deps);
    ImportPanel.current = panel;
    panel.reveal();
    if (path) await panel.load(path);
    return panel;
  }

  private constructor(private readonly deps: ImportPanelDeps) {
    super({ extensionUri: deps.extensionUri, viewType: 'loyal.import', title: vscode.l10n.t('Import'), page: 'import' }, ImportPageMessage as z.ZodType<ImportPageMessage>);
    this.categories = { ...(deps.memory.get<Record<string, Category>>('loyal.import.categories') ?? {}) };
  }

  protected initMessage(): ImportHostMessage {
    return { type: 'init', strings: strings(), view: this.plan ? this.view() : undefined };
  }

  protected async handle(message: ImportPageMessage): Promise<void> {
    switch (message.type) {
      case 'chooseFile': {
        const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { CSV: ['csv', 'txt', 'tsv'] }, title: vscode.l10n.t('Choose the file to import') });
        if (picked?.[0]) await this.load(picked[0].fsPath);
        return;
      }
      case 'options': {
        if (message.mapping !== undefined) this.mapping = message.mapping ?? undefined;
        if (message.skip) this.skip = message.skip;
        if (message.categories) this.categories = { ...this.categories, ...message.categories };
        this.replan();
        return;
      }
      case 'import':
        await this.runImport();
        return;
    }
  }

  /** Reads a file (with progress; cancelling leaves the page as it was) and shows what its import would do. */
  async load(path: string): Promise<void> {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Reading {0}…', basename(path)), cancellable: true }, async (_progress, token) => {
      const bytes = await readFile(path);
      if (token.isCancellationRequested) return;
      this.bytes = bytes;
      this.path = path;
      this.skip = [];
      // A header seen before gets the mapping the user chose for it then.
      const header = headerOf(bytes);
      this.mapping = this.deps.memory.get<MappingChoice>(`loyal.import.mapping.${headerSignature(header)}`);
      this.detected = isKnownExport(header);
      this.replan();
    });
  }

  /** The book as it is; an empty one while the data file does not exist yet (it is created on import). */
  private book(): LoyalFile {
    return this.deps.session.state === 'missing' ? emptyFile() : this.deps.session.file;
  }

  private replan(): void {
    if (!this.bytes) return;
    this.plan = planFileImport(this.bytes, this.book(), { mapping: this.mapping, skip: this.skip, categories: this.categories, currency: this.deps.session.settings.currency });
    // Help desks: the user's choices, else Loyal's guess, offered for each tag.
    for (const use of this.plan.tags) if (!use.category && use.guess && this.categories[use.tag] === undefined) this.categories[use.tag] = use.guess;
    if (this.plan.tags.some((t) => !t.category && this.categories[t.tag])) {
      this.plan = planFileImport(this.bytes, this.book(), { mapping: this.mapping, skip: this.skip, categories: this.categories, currency: this.deps.session.settings.currency });
    }
    this.post({ type: 'view', view: this.view() });
  }

  /** What the page shows of the current plan. */
  view(): ImportView {
    const plan = this.plan!;
    const skippable: Partial<Record<SkipKind, number>> = {};
    if (plan.errors.length === 0) {
      for (const kind of this.skip) if (plan.summary.skipped[kind]) skippable[kind] = plan.summary.skipped[kind];
    } else if (this.bytes && plan.source !== 'loyal') {
      // How many rows each skip would leave out: the same file planned with every skip on.
      const all = planFileImport(this.bytes, this.book(), { mapping: this.mapping, skip: [...SKIP_KINDS], categories: this.categories, previewRows: 0 });
      for (const kind of SKIP_KINDS) if (all.summary.skipped[kind]) skippable[kind] = all.summary.skipped[kind];
    }
    let errors = plan.errors;
    let loyalOk = false;
    let { summary, preview, previewColumns } = plan;
    if (plan.source === 'loyal' && this.bytes && plan.kind) {
      // Loyal's own format goes through its own import, as it always did; the page shows its counts and rows.
      const text = decodeBytes(this.bytes).text;
      const loyal = planImport(plan.kind, text, this.book(), { createCustomers: true, currency: this.deps.session.settings.currency, previewRows: 20 });
      const lines = loyal.errors.length ? [] : readCsv(text).lines;
      errors = loyal.errors;
      loyalOk = !!loyal.apply;
      const records = loyal.summary.create - loyal.summary.customersToCreate;
      summary = {
        ...plan.summary,
        created: plan.kind === 'customers' ? loyal.summary.create : loyal.summary.customersToCreate,
        updated: loyal.summary.update,
        purchases: plan.kind === 'purchases' ? records : 0,
        incidents: plan.kind === 'incidents' ? records : 0,
      };
      previewColumns = loyal.columns;
      preview = loyal.preview.map((values, i) => ({ status: 'new' as const, line: lines[i] ?? 0, values }));
    }
    return {
      fileName: this.path ? basename(this.path) : '',
      source: plan.source,
      sourceLabel: plan.sourceLabel,
      kind: plan.kind,
      encoding: plan.encoding,
      separator: plan.separator === '\t' ? 'tab' : plan.separator,
      rows: plan.rows,
      header: plan.header,
      sample: plan.sample,
      errors: errors.slice(0, 500),
      skippable,
      skip: this.skip,
      previewColumns,
      preview,
      summary,
      tags: plan.tags,
      categories: this.categories,
      mapping: this.mapping,
      guesses: plan.guesses,
      dateFormats: plan.dateFormats,
      fields: MAPPABLE_FIELDS,
      canImport: plan.source === 'loyal' ? loyalOk : !!plan.apply,
      loyal: plan.source === 'loyal',
      detected: this.detected,
      decimal: plan.decimal,
    };
  }

  private async runImport(): Promise<void> {
    const session = this.deps.session;
    if (!this.bytes || !this.plan) return;
    if (session.state === 'missing') await session.store!.create();
    if (session.state !== 'ok') {
      void vscode.window.showWarningMessage(vscode.l10n.t('There is no readable Loyal data file yet.'));
      return;
    }
    const bytes = this.bytes;
    const name = this.path ? basename(this.path) : '';
    const options = { mapping: this.mapping, skip: this.skip, categories: this.categories, currency: session.settings.currency };
    const outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Importing {0}', name), cancellable: true }, async (progress, token) => {
      progress.report({ message: vscode.l10n.t('Checking {0} rows…', this.plan!.rows) });
      // Checked again against the book as it is now: another window may have written since the preview.
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (token.isCancellationRequested) return undefined;
      const plan = planFileImport(bytes, session.file, options);
      if (plan.source === 'loyal' && plan.kind) {
        const loyal = planImport(plan.kind, decodeBytes(bytes).text, session.file, { createCustomers: true, currency: session.settings.currency });
        if (!loyal.apply || token.isCancellationRequested) return { plan, summary: undefined };
        progress.report({ message: vscode.l10n.t('Writing…'), increment: 50 });
        const apply = loyal.apply;
        const result = await session.store!.update((tx) => apply(tx as ImportTransaction));
        const summary: ImportSummary = {
          ...plan.summary,
          created: result.customersCreated,
          purchases: plan.kind === 'purchases' ? result.created - result.customersCreated : 0,
          incidents: plan.kind === 'incidents' ? result.created - result.customersCreated : 0,
          updated: result.updated,
        };
        return { plan, summary };
      }
      if (!plan.apply || token.isCancellationRequested) return { plan, summary: undefined };
      progress.report({ message: vscode.l10n.t('Writing…'), increment: 50 });
      const apply = plan.apply;
      const summary = await session.store!.update((tx) => apply(tx as ImportTransaction));
      return { plan, summary };
    });
    if (!outcome) {
      this.post({ type: 'status', message: vscode.l10n.t('Import cancelled: nothing was written.') });
      return;
    }
    if (!outcome.summary) {
      this.plan = outcome.plan;
      this.post({ type: 'view', view: this.view() });
      this.post({ type: 'status', message: vscode.l10n.t('Nothing was imported: the file has problems.') });
      return;
    }
    if (this.mapping) await this.deps.memory.update(`loyal.import.mapping.${outcome.plan.signature}`, this.mapping);
    if (outcome.plan.tags.length) await this.deps.memory.update('loyal.import.categories', this.categories);
    const s = outcome.summary;
    const message = vscode.l10n.t('Imported {0}: {1} new customers, {2} matched, {3} purchases, {4} incidents.', name, s.created, s.matched, s.purchases, s.incidents);
    this.post({ type: 'imported', summary: s, message });
    void vscode.window.showInformationMessage(message);
    this.replan();
  }

  override dispose(): void {
    if (ImportPanel.current === this) ImportPanel.current = undefined;
    super.dispose();
  }
}
