// How the generators of src/internal/runner/*.generated.ts keep every line within the lint's limit (150 characters,
// strings included): lists packed over lines, long strings split after a dot into `+`-joined pieces, a value moved
// below its key when the pair does not fit on one line.

/** The longest line a generated file may have. */
export const MAX_LINE = 150;

/** `s` quoted with single quotes (the generated files hold no quote or backslash in their strings). */
export const q = (s: string) => `'${s}'`;

/**
 * The string `s` as source lines: one quoted literal after `lead` and before `tail` when that fits, otherwise pieces
 * cut after dots (each at most as long as the limit allows), joined with ` +`, the later ones indented by `indent`.
 */
export function stringLines(s: string, lead: string, tail: string, indent: string): string[] {
  if (`${lead}${q(s)}${tail}`.length <= MAX_LINE) return [`${lead}${q(s)}${tail}`];
  const pieces: string[] = [];
  let rest = s;
  while (rest) {
    const first = pieces.length === 0;
    const room = MAX_LINE - (first ? lead.length : indent.length) - 2 - ' +'.length;
    let cut = rest.length;
    if (rest.length + 2 + (first ? lead.length : indent.length) + tail.length > MAX_LINE) {
      const dot = rest.lastIndexOf('.', room - 1);
      cut = dot > 0 ? dot + 1 : room;
    }
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  return pieces.map((p, i) => `${i === 0 ? lead : indent}${q(p)}${i === pieces.length - 1 ? tail : ' +'}`);
}

/**
 * The opening of an object entry at `indent`, `key: after` (`after` a whole value with its comma, or `{`): on one
 * line when it fits; a key too long for any line written computed, `['a.' + 'b']`.
 */
function keyLines(indent: string, key: string, after: string): string[] {
  if (`${indent}${key}: ${after}`.length <= MAX_LINE || !key.startsWith("'")) return [`${indent}${key}: ${after}`];
  return [`${indent}[`, ...stringLines(key.slice(1, -1), `${indent}  `, '', `${indent}  `), `${indent}]: ${after}`];
}

/** An object entry `key: value,` at `indent`, the value below the key (indented two more) when the pair passes the limit. */
export function entryLines(indent: string, key: string, value: string): string[] {
  if (`${indent}${key}: ${value},`.length <= MAX_LINE) return [`${indent}${key}: ${value},`];
  const [first, ...rest] = keyLines(indent, key, '').map((l) => l.trimEnd());
  return [first, ...rest, `${indent}  ${value},`];
}

/** An object entry whose value is the object of `inner` (its lines, unindented): `key: {`, the lines, `},`. */
export function objectEntryLines(indent: string, key: string, inner: string[]): string[] {
  return [...keyLines(indent, key, '{'), ...inner.map((l) => `${indent}  ${l}`), `${indent}},`];
}

/**
 * `items` separated by commas, packed into as few lines at `indent` as the limit allows (each line ends with a comma);
 * `width` is the room when the lines are indented further later.
 */
export function packedLines(items: string[], indent: string, width = MAX_LINE): string[] {
  const lines: string[] = [];
  let line = '';
  for (const item of items) {
    const longer = line ? `${line} ${item},` : `${indent}${item},`;
    if (line && longer.length > width) {
      lines.push(line);
      line = `${indent}${item},`;
    } else {
      line = longer;
    }
  }
  return line ? [...lines, line] : lines;
}

/** An enum entry at `indent`: `key: { values: [...], ignoreCase },` on one line when it fits, else spread over lines. */
export function enumEntryLines(indent: string, key: string, values: string[], ignoreCase: boolean): string[] {
  const list = values.map(q).join(', ');
  const one = `${indent}${key}: { values: [${list}], ignoreCase: ${ignoreCase} },`;
  if (one.length <= MAX_LINE) return [one];
  const valueLines = `${indent}  values: [${list}],`.length <= MAX_LINE
    ? [`values: [${list}],`]
    : ['values: [', ...packedLines(values.map(q), '  ', MAX_LINE - indent.length - 2), '],'];
  return objectEntryLines(indent, key, [...valueLines, `ignoreCase: ${ignoreCase},`]);
}
