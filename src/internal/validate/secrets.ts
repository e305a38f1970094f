import { CONSTRUCTION_RULES } from './construction-rules';
import type { _PropErrors } from './prop-errors';
import { SECRETS_MESSAGES as M } from './secrets.messages';

// Strings no output may carry. Credentials in plain text: every string a construct takes ends up in a plain-text output:
// the ConfigMap's config.toml, the Helm values, the review files in dist/ or the job-pod preview. A value shaped like a token or a key
// is refused where it is declared, naming the field, never echoing the secret, and pointing to a Secret instead.
//
// Every pattern is linear in the length of the value: a literal prefix followed by one bounded or unbounded character
// class, never a quantifier inside a quantifier, so a 2 MiB variable costs one pass per pattern. Every shape names the
// literal text each of its matches holds: a value with none of it is not run through the pattern, so a synth compiles
// no pattern that no value comes near (V8 compiles a regular expression in every process that runs it).

/** One credential shape: what it is, and a test that finds it anywhere in a string. */
interface Shape {
  readonly what: string;
  readonly pattern: RegExp;
  /** Text every match of `pattern` holds (one of these), in lower case when the pattern ignores case. */
  readonly needles: readonly string[];
}

/** A token character of GitLab's tokens (base64url and the routable tokens' '.' separators). */
const TOKEN_CHARS = '[0-9A-Za-z_.-]';
/** Not preceded by a token character, so `xglrt-` inside a longer word is not taken for a prefix. */
const START = '(?<![0-9A-Za-z_])';

function gitlab(prefix: string, what: string): Shape {
  return { what: `a GitLab ${what} (${prefix}...)`, pattern: new RegExp(`${START}${prefix}${TOKEN_CHARS}{20}`), needles: [prefix] };
}

/** The shapes, most specific first (the first hit names the value). */
const SHAPES: Shape[] = [
  gitlab('glrt-', 'runner authentication token'),
  gitlab('glpat-', 'personal access token'),
  gitlab('gldt-', 'deploy token'),
  gitlab('glptt-', 'pipeline trigger token'),
  gitlab('glcbt-', 'CI/CD job token'),
  gitlab('gloas-', 'OAuth application secret'),
  gitlab('glsoat-', 'service account token'),
  gitlab('glimt-', 'incoming mail token'),
  gitlab('glft-', 'feed token'),
  gitlab('glagent-', 'agent for Kubernetes token'),
  { what: 'a GitLab runner registration token (GR1348941...)', pattern: new RegExp(`${START}GR1348941${TOKEN_CHARS}{20}`), needles: ['GR1348941'] },
  { what: 'a private key (PEM block)', pattern: /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY( BLOCK)?-----/, needles: ['-----BEGIN '] },
  {
    what: 'an AWS access key id (AKIA...)',
    pattern: /(?<![0-9A-Z])(AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}(?![0-9A-Za-z])/,
    needles: ['AKIA', 'ASIA', 'ABIA', 'ACCA'],
  },
  { what: 'a Google API key (AIza...)', pattern: /(?<![0-9A-Za-z_-])AIza[0-9A-Za-z_-]{35}/, needles: ['AIza'] },
  { what: 'a Google OAuth client secret (GOCSPX-...)', pattern: /(?<![0-9A-Za-z_-])GOCSPX-[0-9A-Za-z_-]{28}/, needles: ['GOCSPX-'] },
  { what: 'a Google service account key (JSON with "private_key")', pattern: /"private_key"\s{0,16}:\s{0,16}"-----BEGIN/, needles: ['"private_key"'] },
  {
    what: 'an Azure storage or Service Bus key (AccountKey=, SharedAccessKey=)',
    pattern: /(AccountKey|SharedAccessKey)=[0-9A-Za-z+/]{20}/i,
    needles: ['accountkey=', 'sharedaccesskey='],
  },
  { what: 'an Azure client secret (...8Q~...)', pattern: /(?<![0-9A-Za-z_~.-])[0-9A-Za-z_~.-]{3}8Q~[0-9A-Za-z_~.-]{31}/, needles: ['8Q~'] },
  // URL credentials: user:password@ (a password that is a variable reference, $CI_JOB_TOKEN, is expanded by the job,
  // not written) and token query parameters with a literal value.
  { what: 'a password in a URL (scheme://user:password@host)', pattern: /:\/\/[^/\s@:]*:(?![$])[^/\s@$]+@/, needles: ['@'] },
  {
    what: 'a token in a URL query (?private_token=, ?access_token=, ...)',
    pattern: /[?&](private[-_]token|access[-_]token|job[-_]token|api[-_]?key|token|secret|password|passwd|sig|x-amz-signature|x-goog-signature)=(?![$&#\s])/i,
    needles: ['?', '&'],
  },
];

/** @internal The shapes, for the test that every match of a pattern holds one of its needles. */
export const _SECRET_SHAPES: readonly Shape[] = SHAPES;

/** Whether `text` holds one of `needles`, so a pattern with those needles may match it. */
function holdsNeedle(needles: readonly string[], text: string): boolean {
  for (let i = 0; i < needles.length; i++) if (text.includes(needles[i])) return true;
  return false;
}

/** Shapes of strings already looked at (null: none): a fleet repeats its images, hosts and paths in every construct. */
const SHAPE_OF = new Map<string, string | null>();
const SHAPES_KEPT = 4096;

/** What credential `value` holds, if it holds one. */
export function secretShape(value: string): string | undefined {
  let what = SHAPE_OF.get(value);
  if (what === undefined) {
    if (SHAPE_OF.size >= SHAPES_KEPT) SHAPE_OF.clear();
    // Plain loops: this runs for every string of every construct, once each, before V8 optimises anything.
    let lowered: string | undefined;
    what = null;
    for (let i = 0; i < SHAPES.length && what === null; i++) {
      const shape = SHAPES[i];
      const text = shape.pattern.ignoreCase ? (lowered ??= value.toLowerCase()) : value;
      if (holdsNeedle(shape.needles, text) && shape.pattern.test(value)) what = shape.what;
    }
    SHAPE_OF.set(value, what);
  }
  return what ?? undefined;
}

/** The runner token's variable inside a URL: the runner expands it (from v18.10), which puts the token in the URL. */
const TOKEN_VARIABLE = /\$(\{RUNNER_TOKEN\}|RUNNER_TOKEN(?![A-Za-z0-9_]))/;

/** What credential the GitLab URL carries, if any: user info, a token query parameter, the token's variable. */
export function urlCredentials(url: string): string | undefined {
  if (TOKEN_VARIABLE.test(url)) return M.url.tokenVariable;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return secretShape(url);
  }
  if (parsed.username !== '' || parsed.password !== '') return M.url.userInfo;
  // A URL without a query has no parameter to read (and its URLSearchParams would cost more than the rest).
  for (const name of parsed.search === '' ? [] : parsed.searchParams.keys()) {
    // The credential word as the name or its last part: private_token, X-Api-Key, sig; not 'monkey' or 'design'.
    if (/(^|[-_.])(token|secret|password|passwd|key|sig|signature)$/i.test(name)) return M.url.queryParameter(name);
  }
  return secretShape(url);
}

/** Half of a UTF-16 surrogate pair without its other half. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Fields whose strings become a process's environment or arguments: exec(2) takes C strings, which end at a NUL. */
const EXEC_STRING_FIELD = /(^|\.)(environment\.[^.]+|command\[\d+\]|entrypoint\[\d+\])$/;

/**
 * Adds one error per string in `props` (at any depth, map keys included) that holds a credential (SEC002), and one per
 * string that no output can carry as given (a lone surrogate), or no process can (NUL in an environment value or
 * argument). Fields in `skip` are not visited (typed references such as the token, constructs). Class instances (Durations, constructs) are not
 * walked: they carry no user string that reaches an output as is.
 */
export function checkPropStrings(errors: _PropErrors, props: unknown, skip: readonly string[] = []): void {
  const seen = new Set<object>();
  const report = (field: string, subject: string, what: string) =>
    errors.addProblem(field, M.plainText(field, subject, what), CONSTRUCTION_RULES.plainTextSecret.id);
  const visit = (value: unknown, field: string): void => {
    if (skip.includes(field)) return;
    if (typeof value === 'string') {
      const what = field === 'gitlabUrl' ? urlCredentials(value) : secretShape(value);
      if (what !== undefined) report(field, M.redacted(value), what);
      const nul = value.indexOf('\u0000');
      if (nul >= 0 && EXEC_STRING_FIELD.test(field)) errors.addProblem(field, M.nul(nul));
      const lone = LONE_SURROGATE.exec(value);
      if (lone) errors.addProblem(field, M.loneSurrogate(lone[0].charCodeAt(0), lone.index));
      return;
    }
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    const prototype: unknown = Object.getPrototypeOf(value);
    if (!Array.isArray(value) && prototype !== Object.prototype && prototype !== null) return;
    seen.add(value);
    if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, `${field}[${i}]`));
      return;
    }
    for (const key of Object.keys(value)) {
      // A key holding a credential is reported on its map, so that the field printed does not repeat it.
      const what = secretShape(key);
      if (what !== undefined) {
        report(field, `the key ${M.redacted(key)}`, what);
        continue;
      }
      visit((value as Record<string, unknown>)[key], field === '' ? key : `${field}.${key}`);
    }
  };
  visit(props, '');
}
