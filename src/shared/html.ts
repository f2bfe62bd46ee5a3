/**
 * HTML built from text: every interpolated value is escaped unless it is already `Html` (the
 * result of `html` or `raw`). Text from a seized export or from a victim is never markup.
 */
import escapeHtml from 'escape-html';

export const esc = (v: unknown): string => escapeHtml(String(v ?? ''));

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Markup that is trusted as it is (SVG the server rendered, a fragment already built). */
export const raw = (s: string): Html => new Html(s);

type Value = Html | string | number | bigint | boolean | null | undefined | readonly Value[];

function render(v: Value): string {
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  if (v === null || v === undefined || v === false) return '';
  return esc(v);
}

// The literal parts of each template, with their source indentation folded: a line break and
// the spaces around it become one space (the same to HTML outside <pre>, which the console does
// not write). Kept per call site: a template's strings array is the same object every time.
const folded = new WeakMap<TemplateStringsArray, string[]>();
const fold = (strings: TemplateStringsArray): string[] => {
  let f = folded.get(strings);
  if (!f) {
    f = strings.map((s) => s.replace(/[ \t]*\n\s*/g, ' '));
    folded.set(strings, f);
  }
  return f;
};

/** `html\`<p>${text}</p>\``: the text is escaped; arrays are joined; null and false vanish. */
export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  const parts = fold(strings);
  let out = parts[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i] as Value) + (parts[i + 1] ?? '');
  return new Html(out);
}
