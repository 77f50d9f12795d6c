/** HTML built from templates in which every interpolated value is escaped unless it is already markup. */

export class SafeHtml {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

type Part = SafeHtml | string | number | null | undefined | false | Part[];

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (Array.isArray(part)) return part.map(render).join('');
  if (part instanceof SafeHtml) return part.text;
  return escapeHtml(String(part));
}

/** html`<p>${name}</p>`: name is escaped; arrays are joined; SafeHtml is inserted as it is. */
export function html(strings: TemplateStringsArray, ...parts: Part[]): SafeHtml {
  let out = strings[0]!;
  parts.forEach((p, i) => {
    out += render(p) + strings[i + 1]!;
  });
  return new SafeHtml(out);
}

/** Markup produced by a trusted renderer (an SVG chart). */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
