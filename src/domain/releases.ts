// Releases read from git tags. Listing the tags (`git for-each-ref refs/tags
// --format=%(refname:short) %(creatordate:iso-strict)`) is the caller's job; this turns
// their names into a component and a version.
//
// The pattern rule:
// - `{component}` and `{version}` name the parts explicitly: `{component}-v{version}`,
//   `{component}@{version}`, `release/{component}/{version}`.
// - `*` matches any text (as much as it can) and `?` one character. Without a
//   `{version}`, the version is what the last `*` matched.
// - Without a `{component}`, the pattern only selects tags (`billing-v*`, `*-v*`, `v*`) and
//   the name is split at its last `-v` followed by a digit (`billing-v1.4.0` → billing,
//   1.4.0), else at its last `@` (`@shop/billing@1.4.0` → @shop/billing, 1.4.0), else
//   the literal text before the pattern's first wildcard, when it ends with `-`, `_`, `/` or
//   `@`, is the component (`billing-*` on `billing-1.4.0`), else `defaultComponent` (a
//   repository with one component tagged `v1.4.0`); a tag that yields no component is
//   left out.
// - A leading `v` before a digit is dropped from the version.

export interface ReleaseFromTag {
  component: string;
  version: string;
  /** The tag's own calendar day, as written in its date (the tagger's local day). */
  date: string;
}

export interface ReleasesFromTagsOptions {
  /** Releases already in the file: a tag naming the same component and version is skipped. */
  existing?: ReadonlyArray<{ component: string; version: string }>;
  /** Component for tags that name none, such as `v1.4.0`. */
  defaultComponent?: string;
}

const PLACEHOLDER = /\{component\}|\{version\}|\*|\?/g;

interface CompiledPattern {
  regex: RegExp;
  /** Capture group positions of {component} and {version} (0 when absent). */
  componentGroup: number;
  versionGroup: number;
  explicitComponent: boolean;
  explicitVersion: boolean;
  lastStarGroup: number | null;
  literalPrefix: string;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function compile(pattern: string): CompiledPattern {
  let source = '';
  let last = 0;
  let group = 0;
  let lastStarGroup: number | null = null;
  let explicitComponent = false;
  let explicitVersion = false;
  let componentGroup = 0;
  let versionGroup = 0;
  const firstWildcard = pattern.search(/\{component\}|\{version\}|\*|\?/);
  const prefix = firstWildcard < 0 ? pattern : pattern.slice(0, firstWildcard);
  for (const match of pattern.matchAll(PLACEHOLDER)) {
    source += escapeRegex(pattern.slice(last, match.index));
    last = match.index + match[0].length;
    group++;
    if (match[0] === '{component}') {
      explicitComponent = true;
      componentGroup = group;
      source += '(.+)';
    } else if (match[0] === '{version}') {
      explicitVersion = true;
      versionGroup = group;
      source += '(.+)';
    } else if (match[0] === '*') {
      lastStarGroup = group;
      source += '(.*)';
    } else source += '(.)';
  }
  source += escapeRegex(pattern.slice(last));
  return {
    regex: new RegExp(`^${source}$`, 's'),
    componentGroup,
    versionGroup,
    explicitComponent,
    explicitVersion,
    lastStarGroup,
    // Only a prefix that ends in a separator names a component: in `v*` the "v" is part of the version.
    literalPrefix: /[-_/@]$/.test(prefix) ? prefix.replace(/[-_/@]+$/, '') : '',
  };
}

function cleanVersion(version: string): string {
  const trimmed = version.trim();
  return /^v\d/.test(trimmed) ? trimmed.slice(1) : trimmed;
}

function split(name: string, compiled: CompiledPattern, match: RegExpExecArray, defaultComponent: string | undefined): { component: string; version: string } | null {
  if (compiled.explicitComponent) {
    const component = match[compiled.componentGroup];
    const version = compiled.explicitVersion ? match[compiled.versionGroup] : compiled.lastStarGroup !== null ? match[compiled.lastStarGroup] : '';
    return { component, version };
  }
  const dashV = name.search(/-v\d(?!.*-v\d)/s);
  if (dashV > 0) return { component: name.slice(0, dashV), version: name.slice(dashV + 2) };
  const at = name.lastIndexOf('@');
  if (at > 0) return { component: name.slice(0, at), version: name.slice(at + 1) };
  if (compiled.literalPrefix !== '' && name.startsWith(compiled.literalPrefix)) {
    return { component: compiled.literalPrefix, version: name.slice(compiled.literalPrefix.length).replace(/^[-_/@]+/, '') };
  }
  if (defaultComponent !== undefined && defaultComponent.trim() !== '') {
    return { component: defaultComponent.trim(), version: compiled.explicitVersion ? match[compiled.versionGroup] : name };
  }
  return null;
}

/**
 * The releases named by the tags that match `pattern`, earliest first, each component and
 * version once (the earliest tag wins) and none already among `existing`.
 */
export function releasesFromTags(tags: ReadonlyArray<{ name: string; date: string }>, pattern: string, options: ReleasesFromTagsOptions = {}): ReleaseFromTag[] {
  const compiled = compile(pattern);
  const key = (component: string, version: string): string => `${component}\u0000${version}`;
  const known = new Set((options.existing ?? []).map((release) => key(release.component, release.version)));
  const found = new Map<string, ReleaseFromTag>();
  for (const tag of tags) {
    const match = compiled.regex.exec(tag.name);
    if (match === null) continue;
    const date = /^\d{4}-\d{2}-\d{2}/.exec(tag.date)?.[0];
    if (date === undefined) continue;
    const parts = split(tag.name, compiled, match, options.defaultComponent);
    if (parts === null) continue;
    const component = parts.component.trim();
    const version = cleanVersion(parts.version);
    if (component === '' || version === '' || component.length > 200 || version.length > 100) continue;
    const k = key(component, version);
    if (known.has(k)) continue;
    const previous = found.get(k);
    if (previous === undefined || date < previous.date) found.set(k, { component, version, date });
  }
  return [...found.values()].sort(
    (a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0) || (a.component < b.component ? -1 : a.component > b.component ? 1 : 0) || (a.version < b.version ? -1 : a.version > b.version ? 1 : 0),
  );
}
