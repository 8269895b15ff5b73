// Hostile text and the checks that a page shows it as text: shared by the unit test of the
// Markdown report and the integration test of the print cards page.
import type { DefaultTreeAdapterMap } from 'parse5';

/** What a customer or a teammate may type where a name, an address, a note or a tag goes. */
export const HOSTILE = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(2)>',
  "'><svg onload=alert(3)>",
  'a | b | c',
  '`rm -rf` ``code``',
  '[click](javascript:alert(4))',
  '](javascript:alert(5))',
  '![img](http://evil.example/x.png)',
  '&lt;b&gt;entity&lt;/b&gt; &amp; &#60;i&#62;',
  '**bold** _em_ ~~gone~~ # not a heading',
  '<http://evil.example>',
  '\\ back\\slash',
];

export type Node = DefaultTreeAdapterMap['node'];
export type Element = DefaultTreeAdapterMap['element'];

export function elements(node: Node, out: Element[] = []): Element[] {
  if ('tagName' in node) out.push(node);
  const children = 'childNodes' in node ? node.childNodes : [];
  for (const child of children) elements(child as Node, out);
  if ('content' in node && node.content) elements(node.content as Node, out);
  return out;
}

export function textOf(node: Node): string {
  if (node.nodeName === '#text') return (node as DefaultTreeAdapterMap['textNode']).value;
  return ('childNodes' in node ? node.childNodes : []).map((child) => textOf(child as Node)).join('');
}

export function attr(element: Element, name: string): string | undefined {
  return element.attrs.find((a) => a.name === name)?.value;
}

/** What makes a page run code or load something: scripts, handlers, images, javascript: links. */
export function activeParts(root: Node, allowedScripts: number): string[] {
  const found: string[] = [];
  let scripts = 0;
  for (const element of elements(root)) {
    if (element.tagName === 'script' && ++scripts > allowedScripts) found.push('a second <script>');
    if (['img', 'svg', 'iframe', 'object', 'embed', 'a'].includes(element.tagName) && !(element.tagName === 'a' && /^https?:/.test(attr(element, 'href') ?? ''))) {
      found.push(`<${element.tagName} ${element.attrs.map((a) => `${a.name}=${a.value}`).join(' ')}>`);
    }
    for (const a of element.attrs) if (/^on/i.test(a.name) || /^\s*javascript:/i.test(a.value)) found.push(`${element.tagName}[${a.name}=${a.value}]`);
  }
  return found;
}
