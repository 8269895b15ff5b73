// The sidebar as it was last shown, so that it appears at once in the next window.
//
// Reading a big book takes seconds (a file of 100k incidents is over 100 MB of JSON; parsing
// it alone takes most of a second). The four views are kept, as plain tree items, in the
// extension's workspace storage (never in the repository) together with what they were made
// from: the data file's size, modification time and inode, the day, the settings, the display
// language and the views' own sort and filters. When a window opens and all of these are the
// same, the views show the saved items at once, read-only (no actions, no context menus), while
// the book is read; they switch to the live book as soon as its lifetime values are in. When
// anything differs, nothing is shown from the snapshot: a stale sidebar is never presented as
// the current one.
import * as vscode from 'vscode';
import { readFileSync, statSync } from 'node:fs';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { sameSignature, type DiskSignature } from '../store/atomic';
import { userTextTooltip } from './tooltips';

/** Children kept per expandable item: what fills a sidebar many times over. */
export const SNAPSHOT_CHILDREN = 300;
const FORMAT = 1;
const FILE_NAME = 'sidebar-snapshot.json';

export type SidebarViewName = 'today' | 'customers' | 'notes' | 'incidents';
export const SIDEBAR_VIEWS: readonly SidebarViewName[] = ['today', 'customers', 'notes', 'incidents'];

/** One tree item as the saved sidebar keeps it. */
export interface SnapshotItemData {
  label: string;
  description?: string;
  tooltip?: string;
  markdownTooltip?: boolean;
  icon?: string;
  iconColor?: string;
  collapsible: 0 | 1 | 2;
  id?: string;
  accessibility?: string;
  children?: SnapshotItemData[];
}

const SnapshotItemSchema: z.ZodType<SnapshotItemData> = z.lazy(() =>
  z.strictObject({
    label: z.string(),
    description: z.string().optional(),
    tooltip: z.string().optional(),
    markdownTooltip: z.boolean().optional(),
    icon: z.string().optional(),
    iconColor: z.string().optional(),
    collapsible: z.union([z.literal(0), z.literal(1), z.literal(2)]),
    id: z.string().optional(),
    accessibility: z.string().optional(),
    children: z.array(SnapshotItemSchema).optional(),
  }),
);

const SnapshotSchema = z.strictObject({
  format: z.literal(FORMAT),
  key: z.string(),
  views: z.strictObject({
    today: z.array(SnapshotItemSchema),
    customers: z.array(SnapshotItemSchema),
    notes: z.array(SnapshotItemSchema),
    incidents: z.array(SnapshotItemSchema),
  }),
  /** Follow-ups due today or overdue (status bar and badge). */
  due: z.number().int().min(0),
});

export type SidebarSnapshotData = z.infer<typeof SnapshotSchema>;

/** One saved tree item; its children come from the snapshot too. */
export class SnapshotNode {
  constructor(readonly data: SnapshotItemData) {}

  toTreeItem(): vscode.TreeItem {
    const d = this.data;
    const item = new vscode.TreeItem(d.label, d.collapsible as vscode.TreeItemCollapsibleState);
    if (d.id !== undefined) item.id = d.id;
    if (d.description !== undefined) item.description = d.description;
    if (d.tooltip !== undefined) item.tooltip = d.markdownTooltip ? userTextTooltip(d.tooltip) : d.tooltip;
    if (d.icon !== undefined) item.iconPath = new vscode.ThemeIcon(d.icon, d.iconColor ? new vscode.ThemeColor(d.iconColor) : undefined);
    if (d.accessibility !== undefined) item.accessibilityInformation = { label: d.accessibility };
    // No command and no contextValue: nothing can act on a record before the book is read.
    return item;
  }

  children(): SnapshotNode[] {
    return (this.data.children ?? []).map((child) => new SnapshotNode(child));
  }
}

function itemData(item: vscode.TreeItem): SnapshotItemData {
  const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
  const data: SnapshotItemData = { label, collapsible: (item.collapsibleState ?? 0) as 0 | 1 | 2 };
  if (item.id !== undefined) data.id = item.id;
  if (typeof item.description === 'string') data.description = item.description;
  if (typeof item.tooltip === 'string') data.tooltip = item.tooltip;
  else if (item.tooltip instanceof vscode.MarkdownString) {
    data.tooltip = item.tooltip.value;
    data.markdownTooltip = true;
  }
  if (item.iconPath instanceof vscode.ThemeIcon) {
    data.icon = item.iconPath.id;
    // ThemeColor keeps its id (not in every version of the API typings).
    const color = (item.iconPath.color as { id?: unknown } | undefined)?.id;
    if (typeof color === 'string') data.iconColor = color;
  }
  if (item.accessibilityInformation) data.accessibility = item.accessibilityInformation.label;
  return data;
}

/** A provider that answers at once, as the four Loyal views do (`BookTreeProvider`). */
export interface SyncTreeProvider<T> {
  getChildren(node?: T): T[];
  getTreeItem(node: T): vscode.TreeItem;
}

/**
 * The items a view shows now: its roots and the first children of those that expand.
 * Synchronous, so the items all come from one version of the book.
 */
export function captureView<T>(provider: SyncTreeProvider<T>): SnapshotItemData[] {
  return provider.getChildren().map((root) => {
    const data = itemData(provider.getTreeItem(root));
    if (data.collapsible !== 0) {
      data.children = provider
        .getChildren(root)
        .slice(0, SNAPSHOT_CHILDREN)
        .map((child) => ({ ...itemData(provider.getTreeItem(child)), collapsible: 0 as const }));
    }
    return data;
  });
}

/**
 * A view that shows the saved items until it is told to go live, then its provider's. The
 * tree view is created on this, so VS Code asks it first; the live provider's changes pass
 * through once live.
 */
export class SidebarView<T> implements vscode.TreeDataProvider<T | SnapshotNode> {
  private readonly changed = new vscode.EventEmitter<T | SnapshotNode | undefined | void>();
  readonly onDidChangeTreeData = this.changed.event;
  private saved: SnapshotNode[] | undefined;
  /** When the saved items were first handed to VS Code (ms, performance.now()). */
  servedAt: number | undefined;
  private readonly served = new vscode.EventEmitter<void>();
  /** Fires when VS Code first got the saved items (`servedAt` then says when). */
  readonly onDidServeSnapshot = this.served.event;

  /** `onRootAnswered` hears, after each answer for the top level, whether it was empty. */
  constructor(
    readonly live: SyncTreeProvider<T> & vscode.TreeDataProvider<T>,
    private readonly onRootAnswered: (empty: boolean) => void = () => {},
  ) {
    live.onDidChangeTreeData?.((e) => {
      if (!this.saved) this.changed.fire(e as T | undefined);
    });
  }

  get showingSnapshot(): boolean {
    return this.saved !== undefined;
  }

  showSnapshot(items: SnapshotItemData[]): void {
    this.saved = items.map((item) => new SnapshotNode(item));
    this.servedAt = undefined;
    this.changed.fire(undefined);
  }

  goLive(): void {
    if (!this.saved) return;
    this.saved = undefined;
    this.changed.fire(undefined);
  }

  getTreeItem(node: T | SnapshotNode): vscode.TreeItem | Thenable<vscode.TreeItem> {
    return node instanceof SnapshotNode ? node.toTreeItem() : this.live.getTreeItem(node);
  }

  getChildren(node?: T | SnapshotNode): vscode.ProviderResult<Array<T | SnapshotNode>> {
    if (node instanceof SnapshotNode) return node.children();
    if (this.saved) {
      if (this.servedAt === undefined) {
        this.servedAt = performance.now();
        this.served.fire();
      }
      if (node === undefined) this.onRootAnswered(this.saved.length === 0);
      return node === undefined ? this.saved : [];
    }
    const children = this.live.getChildren(node);
    if (node === undefined) this.onRootAnswered(children.length === 0);
    return children;
  }

  getParent(node: T | SnapshotNode): vscode.ProviderResult<T | SnapshotNode> {
    if (node instanceof SnapshotNode || this.saved) return undefined;
    return this.live.getParent?.(node);
  }
}

export interface SnapshotKeyParts {
  dataFile: string;
  settings: unknown;
  viewState: string;
}

async function signatureOnDisk(path: string): Promise<DiskSignature | undefined> {
  try {
    const s = await stat(path);
    return { size: s.size, mtimeMs: s.mtimeMs, ino: s.ino };
  } catch {
    return undefined;
  }
}

/** Everything the views' content depends on; the book itself by its file's signature. */
function keyOf(parts: SnapshotKeyParts, signature: DiskSignature, extensionVersion: string): string {
  const day = new Date();
  const localDay = `${day.getFullYear()}-${day.getMonth() + 1}-${day.getDate()}`;
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const file = `${signature.size}:${signature.mtimeMs}:${signature.ino}`;
  return JSON.stringify([FORMAT, extensionVersion, parts.dataFile, file, localDay, zone, vscode.env.language, parts.settings, parts.viewState]);
}

/** Reads and writes the snapshot in the extension's storage for this workspace. */
export class SidebarSnapshotStore {
  constructor(
    private readonly folder: string | undefined,
    private readonly extensionVersion: string,
  ) {}

  private get path(): string | undefined {
    return this.folder ? join(this.folder, FILE_NAME) : undefined;
  }

  /**
   * The saved sidebar, when it was made from exactly this file, day, settings and view state.
   * Read synchronously: it is small (SNAPSHOT_CHILDREN items per group at most), and in a new
   * window each turn of the event loop (a stat, a read) waits behind the other extensions
   * starting in the same thread, which took 150-220 ms before the book was even read.
   */
  load(parts: SnapshotKeyParts): SidebarSnapshotData | undefined {
    const path = this.path;
    if (!path) return undefined;
    let signature: DiskSignature;
    let text: string;
    try {
      const s = statSync(parts.dataFile);
      signature = { size: s.size, mtimeMs: s.mtimeMs, ino: s.ino };
      text = readFileSync(path, 'utf8');
    } catch {
      return undefined; // no data file, or no saved sidebar
    }
    try {
      const parsed = SnapshotSchema.safeParse(JSON.parse(text));
      return parsed.success && parsed.data.key === keyOf(parts, signature, this.extensionVersion) ? parsed.data : undefined;
    } catch {
      return undefined; // not JSON: treated as no snapshot
    }
  }

  /**
   * Saves the views made from the book whose file has `signature`; nothing when the file on
   * disk is no longer that one (the views would not match it).
   */
  async save(parts: SnapshotKeyParts, signature: DiskSignature, views: SidebarSnapshotData['views'], due: number): Promise<boolean> {
    const path = this.path;
    if (!path) return false;
    const now = await signatureOnDisk(parts.dataFile);
    if (!now || !sameSignature(now, signature)) return false;
    const data: SidebarSnapshotData = { format: FORMAT, key: keyOf(parts, signature, this.extensionVersion), views, due };
    await mkdir(this.folder!, { recursive: true });
    const temp = `${path}.tmp`;
    await writeFile(temp, JSON.stringify(data));
    await rename(temp, path);
    return true;
  }
}
