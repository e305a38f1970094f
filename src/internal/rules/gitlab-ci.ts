import { GITLAB_CI_MESSAGES as M } from './gitlab-ci.messages';
import { yamlLibrary } from '../render/yaml-library';
import { isPlainMap } from '../validate/validators';

// Reads a .gitlab-ci.yml far enough to know, per job, the variables and services the runner will get: global
// `variables:`, `default:`, hidden jobs, `extends:` (any depth), `inherit:`, YAML anchors and merge keys, and
// `!reference` tags. Pure: text in, plain jobs out.

/** @internal A service a job declares in `.gitlab-ci.yml`. */
export interface CiService {
  /** The image (`name:`), with variables expanded. */
  readonly image: string;
  /** The alias as written (the runner splits it on spaces and commas). */
  readonly alias?: string;
  /** The service's own `variables:`; they win over the job's in the service container. */
  readonly variables: Record<string, string>;
  /** Its position in the job's `services:` list, for messages. */
  readonly index: number;
}

/** @internal A job, after `extends:`, `default:` and `inherit:` are applied. */
export interface CiJob {
  readonly name: string;
  /** The global variables the job inherits, overridden by its own. */
  readonly variables: Record<string, string>;
  /** The job's services (its own, or `default:services`). */
  readonly services: CiService[];
}

/** Top-level keys that are keywords, not jobs. */
const KEYWORDS = new Set([
  'default', 'include', 'stages', 'variables', 'workflow', 'image', 'services', 'cache', 'before_script', 'after_script', 'types', 'spec',
]);
const REFERENCE_KEY = '\u0000gitlab-ci-reference';
const MAX_DEPTH = 11;

type Yaml = Record<string, unknown>;

/** @internal Parses a .gitlab-ci.yml; throws an Error naming the problem when the text is not a usable pipeline. */
export function parseGitlabCi(text: string): CiJob[] {
  if (typeof text !== 'string') throw new Error(M.notText());
  // Loaded on first use: most synths never read a .gitlab-ci.yml, and loading the parser costs about 20 ms.
  const { parseDocument, visit } = yamlLibrary();
  // GitLab reads YAML 1.1 (merge keys, yes/no booleans), so the check does too.
  const doc = parseDocument(text, { version: '1.1', prettyErrors: false });
  if (doc.errors.length > 0) throw new Error(M.invalidYaml({ error: doc.errors[0].message }));
  visit(doc, {
    Seq: (_key, node) => (node.tag === '!reference' ? doc.createNode({ [REFERENCE_KEY]: node.toJSON() }) : undefined),
  });
  const raw = doc.toJS({ maxAliasCount: 1000 }) as unknown;
  if (raw === null || raw === undefined) return [];
  if (!isObject(raw)) throw new Error(M.topLevel());
  const root = resolveReferences(raw, raw, 0) as Yaml;

  const defaults = isObject(root.default) ? root.default : {};
  const globalVariables = variableMap(root.variables, 'variables');
  const resolved = new Map<string, Yaml>();
  const resolve = (name: string, chain: string[]): Yaml => {
    const known = resolved.get(name);
    if (known) return known;
    if (chain.includes(name)) throw new Error(M.extendsLoop({ chain: [...chain, name] }));
    if (chain.length >= MAX_DEPTH) throw new Error(M.extendsTooDeep({ job: chain[0], maxDepth: MAX_DEPTH }));
    const own = root[name];
    if (!isObject(own)) throw new Error(M.extendsNothing({ job: chain[chain.length - 1] ?? name, parent: name }));
    const parents = own.extends === undefined ? [] : Array.isArray(own.extends) ? own.extends : [own.extends];
    let merged: Yaml = {};
    for (const parent of parents) merged = deepMerge(merged, resolve(String(parent), [...chain, name]));
    const { extends: _ignored, ...rest } = own;
    const result = deepMerge(merged, rest);
    resolved.set(name, result);
    return result;
  };

  return Object.keys(root)
    .filter((name) => !KEYWORDS.has(name) && !name.startsWith('.') && isObject(root[name]))
    .map((name) => ({ name, body: resolve(name, []) }))
    // Trigger jobs start a downstream pipeline; no runner runs them.
    .filter(({ body }) => body.trigger === undefined)
    .map(({ name, body }) => {
      const inherit = isObject(body.inherit) ? body.inherit : {};
      const inherits = (kind: 'default' | 'variables', key: string) => {
        const setting = inherit[kind];
        return setting === undefined || setting === true || (Array.isArray(setting) && setting.map(String).includes(key));
      };
      const variables: Record<string, string> = {};
      for (const [key, value] of Object.entries(globalVariables)) if (inherits('variables', key)) variables[key] = value;
      Object.assign(variables, variableMap(body.variables, `${name}.variables`));
      const servicesSource = body.services !== undefined ? body.services : inherits('default', 'services') ? defaults.services : undefined;
      const services = serviceList(servicesSource, name).map((s) => ({
        ...s,
        image: expandVariables(s.image, variables),
        alias: s.alias !== undefined ? expandVariables(s.alias, variables) : undefined,
      }));
      return { name, variables, services };
    });
}

/** @internal Expands `$NAME` and `${NAME}` from `variables` (as the runner does), leaving unknown names as written. */
export function expandVariables(value: string, variables: Record<string, string>, depth = 0): string {
  const expanded = value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (match, braced, bare) => {
    if (match === '$$') return '$';
    const name = braced ?? bare;
    const replacement = variables[name];
    if (replacement === undefined) return match;
    return depth < 5 ? expandVariables(replacement, variables, depth + 1) : replacement;
  });
  return expanded;
}

function variableMap(value: unknown, where: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw new Error(M.variablesShape({ where }));
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    // `NAME: { value: ..., description: ... }` is the documented long form.
    const raw = isObject(v) ? v.value : v;
    out[key] = raw === null || raw === undefined ? '' : String(raw);
  }
  return out;
}

function serviceList(value: unknown, job: string): CiService[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new Error(M.servicesShape({ job }));
  return value.flat().flatMap((entry, index) => {
    if (typeof entry === 'string') return [{ image: entry, variables: {}, index }];
    if (isObject(entry) && typeof entry.name === 'string') {
      return [{
        image: entry.name,
        alias: entry.alias === undefined || entry.alias === null ? undefined : String(entry.alias),
        variables: variableMap(entry.variables, `${job}.services[${index}].variables`),
        index,
      }];
    }
    throw new Error(M.serviceWithoutImage({ job, index }));
  });
}

function resolveReferences(value: unknown, root: Yaml, depth: number): unknown {
  if (Array.isArray(value)) {
    // A reference inside a list splices the referenced list in, as GitLab does for script lines and services.
    return value.flatMap((v) => (isReference(v) ? ([] as unknown[]).concat(resolveReferences(v, root, depth)) : [resolveReferences(v, root, depth)]));
  }
  if (isReference(value)) {
    if (depth >= 10) throw new Error(M.referencesTooDeep());
    const path = (value[REFERENCE_KEY] as unknown[]).map(String);
    let target: unknown = root;
    for (const key of path) target = isObject(target) ? target[key] : undefined;
    if (target === undefined) throw new Error(M.referenceToNothing({ path }));
    return resolveReferences(target, root, depth + 1);
  }
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveReferences(v, root, depth)]));
  return value;
}

function isReference(value: unknown): value is Yaml {
  return isObject(value) && Array.isArray(value[REFERENCE_KEY]);
}

function isObject(value: unknown): value is Yaml {
  return isPlainMap(value);
}

/** GitLab's `extends` merge: mappings merge key by key, everything else (lists included) is replaced. */
function deepMerge(base: Yaml, over: Yaml): Yaml {
  const out: Yaml = { ...base };
  for (const [key, value] of Object.entries(over)) {
    out[key] = isObject(out[key]) && isObject(value) ? deepMerge(out[key] as Yaml, value) : value;
  }
  return out;
}
