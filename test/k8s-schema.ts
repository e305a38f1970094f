// Validates synthesized Kubernetes objects: the Kubernetes OpenAPI schema (kubernetes-models 4.5.1, schema v1.33;
// the prometheus-operator monitors from @kubernetes-models/prometheus-operator 4.4.4), with unknown fields refused as
// `kubectl apply --validate=strict` refuses them, plus the apimachinery rules the schema leaves out (object and
// container names, port names and numbers, labels, selector vs template labels). Reusable by every test that
// synthesizes manifests.

/** A manifest as synthesized: at least `apiVersion` and `kind`. */
export interface Manifest {
  readonly apiVersion?: unknown;
  readonly kind?: unknown;
  readonly [key: string]: unknown;
}

interface AjvError {
  readonly instancePath?: string;
  readonly message?: string;
  readonly params?: Record<string, unknown>;
}

interface ModelClass {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly prototype: { validate(): void };
  new (data: unknown): { validate(): void };
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/**
 * Every problem of `objects`, one readable line each (`Kind/name: /json/path: what is wrong`); empty when all are valid.
 * A kind kubernetes-models does not know is a problem, never a pass.
 */
export function findManifestProblems(objects: readonly Manifest[]): string[] {
  const problems: string[] = [];
  objects.forEach((obj, index) => {
    const where = describe(obj, index);
    const report = (path: string, message: string) => problems.push(`${where}: ${path}: ${message}`);
    const model = modelFor(obj);
    if (typeof model === 'string') {
      report('/', model);
      return;
    }
    try {
      const read = new WeakMap<object, Set<PropertyKey>>();
      // The schema's validator reads every field the schema defines (and every entry of a map); a field it never read
      // is one the API server would drop or, with strict validation, refuse.
      model.prototype.validate.call(recording(obj, read));
      for (const field of unreadFields(obj, read)) report(field, 'unknown field: the schema has no such field.');
    } catch (e) {
      const errors = (e as { errors?: AjvError[] }).errors;
      if (!Array.isArray(errors)) throw e;
      for (const err of errors) report(err.instancePath || '/', `${err.message ?? 'invalid'}${err.params?.allowedValues ? ` ${JSON.stringify(err.params.allowedValues)}` : ''}`);
    }
    checkSemantics(obj, report);
  });
  return problems;
}

/** Throws one error listing every problem of `objects` (see `findManifestProblems`). */
export function validateManifests(objects: readonly Manifest[]): void {
  const problems = findManifestProblems(objects);
  if (problems.length > 0) throw new Error(`${problems.length} invalid manifest field(s):\n  ${problems.join('\n  ')}`);
}

function describe(obj: Manifest, index: number): string {
  const name = (obj.metadata as { name?: unknown } | undefined)?.name;
  return `${String(obj.kind ?? '?')}/${typeof name === 'string' ? name : `#${index}`}`;
}

/** `value` behind proxies that note, per object, every property the validator reads. */
function recording(value: unknown, read: WeakMap<object, Set<PropertyKey>>): unknown {
  if (value === null || typeof value !== 'object') return value;
  const target = value;
  read.set(target, read.get(target) ?? new Set());
  return new Proxy(target, {
    get: (t, key) => {
      read.get(t)!.add(key);
      return recording(Reflect.get(t, key), read);
    },
    has: (t, key) => {
      read.get(t)!.add(key);
      return Reflect.has(t, key);
    },
  });
}

/** JSON paths of the object fields of `value` that were never read. */
function unreadFields(value: unknown, read: WeakMap<object, Set<PropertyKey>>, at = ''): string[] {
  if (value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap((v, i) => unreadFields(v, read, `${at}/${i}`));
  const seen = read.get(value);
  // Not reached by the validator at all: its parent field is reported instead.
  if (seen === undefined) return [];
  return Object.entries(value).filter(([, v]) => v !== undefined)
    .flatMap(([key, v]) => (seen.has(key) ? unreadFields(v, read, `${at}/${key}`) : [`${at}/${key}`]));
}

/** The kubernetes-models class for the object's apiVersion and kind, or why there is none. */
function modelFor(obj: Manifest): ModelClass | string {
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return 'apiVersion and kind must both be strings.';
  const parts = apiVersion.split('/');
  const valid = /^[A-Z][A-Za-z0-9]*$/.test(kind) && parts.length <= 2 && parts.every((p) => /^[a-z0-9][a-z0-9.-]*$/.test(p));
  if (!valid) return `unknown apiVersion/kind ${apiVersion} ${kind}.`;
  let mod: Record<string, unknown>;
  const pkg = apiVersion.startsWith('monitoring.coreos.com/') ? '@kubernetes-models/prometheus-operator' : 'kubernetes-models';
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(`${pkg}/${apiVersion}/${kind}`);
  } catch {
    return `unknown apiVersion/kind ${apiVersion} ${kind}: ${pkg} has no such resource.`;
  }
  const model = mod[kind] as ModelClass | undefined;
  // Sub-objects (Container, PolicyRule, ...) have modules too, but no apiVersion/kind of their own.
  if (typeof model !== 'function' || model.kind !== kind || model.apiVersion !== apiVersion) {
    return `unknown apiVersion/kind ${apiVersion} ${kind}: not a top-level resource.`;
  }
  return model;
}

type Report = (path: string, message: string) => void;

function checkSemantics(obj: Manifest, report: Report): void {
  const metadata = (obj.metadata ?? {}) as Record<string, unknown>;
  checkObjectName(String(obj.kind), metadata.name, report);
  if (metadata.namespace !== undefined) checkDnsLabel('/metadata/namespace', metadata.namespace, report);
  checkLabels('/metadata/labels', metadata.labels, report);
  checkAnnotationKeys('/metadata/annotations', metadata.annotations, report);

  const spec = (obj.spec ?? {}) as Record<string, unknown>;
  const template = podTemplate(String(obj.kind), spec);
  if (template) {
    const templateMeta = (template.value.metadata ?? {}) as Record<string, unknown>;
    checkLabels(`${template.path}/metadata/labels`, templateMeta.labels, report);
    checkAnnotationKeys(`${template.path}/metadata/annotations`, templateMeta.annotations, report);
    checkSelectorMatchesTemplate(spec.selector, templateMeta.labels, template.path, report);
    checkPodSpec(`${template.path}/spec`, (template.value.spec ?? {}) as Record<string, unknown>, report);
  }
  if (obj.kind === 'Pod') checkPodSpec('/spec', spec, report);
  if (obj.kind === 'Service') checkService(spec, report);
}

function checkObjectName(kind: string, name: unknown, report: Report): void {
  if (typeof name !== 'string') {
    report('/metadata/name', 'missing name.');
    return;
  }
  if (kind === 'Service') {
    if (!(name.length <= 63 && DNS1035_LABEL.test(name))) report('/metadata/name', `'${name}' is not a DNS-1035 label (a Service name starts with a letter).`);
  } else if (kind === 'Namespace') {
    checkDnsLabel('/metadata/name', name, report);
  } else if (!isDnsSubdomain(name)) {
    report('/metadata/name', `'${name}' is not a DNS-1123 subdomain.`);
  }
}

function isDnsSubdomain(value: string): boolean {
  return value.length > 0 && value.length <= 253 && value.split('.').every((l) => DNS1123_LABEL.test(l));
}

function checkDnsLabel(path: string, value: unknown, report: Report): void {
  if (typeof value !== 'string' || value.length > 63 || !DNS1123_LABEL.test(value)) report(path, `${JSON.stringify(value)} is not a DNS-1123 label.`);
}

function isQualifiedName(key: string): boolean {
  const parts = key.split('/');
  if (parts.length > 2) return false;
  if (parts.length === 2 && !isDnsSubdomain(parts[0])) return false;
  const name = parts[parts.length - 1];
  return name.length <= 63 && LABEL_NAME.test(name);
}

function checkLabels(path: string, labels: unknown, report: Report): void {
  for (const [key, value] of Object.entries((labels ?? {}) as Record<string, unknown>)) {
    if (!isQualifiedName(key)) report(`${path}/${key}`, `'${key}' is not a valid label key.`);
    if (typeof value !== 'string' || value.length > 63 || (value !== '' && !LABEL_NAME.test(value))) {
      report(`${path}/${key}`, `${JSON.stringify(value)} is not a valid label value.`);
    }
  }
}

function checkAnnotationKeys(path: string, annotations: unknown, report: Report): void {
  for (const key of Object.keys((annotations ?? {}) as Record<string, unknown>)) {
    if (!isQualifiedName(key)) report(`${path}/${key}`, `'${key}' is not a valid annotation key.`);
  }
}

function podTemplate(kind: string, spec: Record<string, unknown>): { path: string; value: Record<string, unknown> } | undefined {
  if (['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'].includes(kind) && spec.template) {
    return { path: '/spec/template', value: spec.template as Record<string, unknown> };
  }
  const jobTemplate = spec.jobTemplate as { spec?: { template?: Record<string, unknown> } } | undefined;
  if (kind === 'CronJob' && jobTemplate?.spec?.template) return { path: '/spec/jobTemplate/spec/template', value: jobTemplate.spec.template };
  return undefined;
}

function checkSelectorMatchesTemplate(selector: unknown, templateLabels: unknown, templatePath: string, report: Report): void {
  const matchLabels = (selector as { matchLabels?: Record<string, string> } | undefined)?.matchLabels;
  if (!matchLabels) return;
  checkLabels('/spec/selector/matchLabels', matchLabels, report);
  const labels = (templateLabels ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(matchLabels)) {
    if (labels[key] !== value) report('/spec/selector/matchLabels', `selector ${key}=${value} does not match the labels of ${templatePath}.`);
  }
}

function checkPort(path: string, value: unknown, report: Report): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) report(path, `${JSON.stringify(value)} is not a port number (1-65535).`);
}

function checkPortName(path: string, value: unknown, report: Report): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || value.length > 15 || !IANA_SVC_NAME.test(value) || value.includes('--') || !/[a-z]/.test(value)) {
    report(path, `${JSON.stringify(value)} is not a port name (at most 15 lower-case letters, digits and single '-', with a letter).`);
  }
}

/** A named or numbered port reference (probe port, Service targetPort). */
function checkPortRef(path: string, value: unknown, report: Report): void {
  if (typeof value === 'string') checkPortName(path, value, report);
  else checkPort(path, value, report);
}

function checkPodSpec(path: string, spec: Record<string, unknown>, report: Report): void {
  const volumeNames = new Set<string>();
  ((spec.volumes ?? []) as Array<Record<string, unknown>>).forEach((v, i) => {
    checkDnsLabel(`${path}/volumes/${i}/name`, v.name, report);
    if (volumeNames.has(String(v.name))) report(`${path}/volumes/${i}/name`, `volume name '${String(v.name)}' is used twice.`);
    volumeNames.add(String(v.name));
  });
  const containerNames = new Set<string>();
  for (const group of ['initContainers', 'containers', 'ephemeralContainers']) {
    ((spec[group] ?? []) as Array<Record<string, unknown>>).forEach((c, i) => {
      const at = `${path}/${group}/${i}`;
      checkDnsLabel(`${at}/name`, c.name, report);
      if (containerNames.has(String(c.name))) report(`${at}/name`, `container name '${String(c.name)}' is used twice in the pod.`);
      containerNames.add(String(c.name));
      const portNames = new Set<string>();
      ((c.ports ?? []) as Array<Record<string, unknown>>).forEach((p, j) => {
        checkPort(`${at}/ports/${j}/containerPort`, p.containerPort, report);
        checkPort(`${at}/ports/${j}/hostPort`, p.hostPort, report);
        checkPortName(`${at}/ports/${j}/name`, p.name, report);
        if (typeof p.name === 'string') portNames.add(p.name);
      });
      for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
        const handler = c[probe] as { httpGet?: { port?: unknown }; tcpSocket?: { port?: unknown } } | undefined;
        for (const kind of ['httpGet', 'tcpSocket'] as const) {
          const port = handler?.[kind]?.port;
          if (port === undefined) continue;
          checkPortRef(`${at}/${probe}/${kind}/port`, port, report);
          if (typeof port === 'string' && !portNames.has(port)) report(`${at}/${probe}/${kind}/port`, `the container declares no port named '${port}'.`);
        }
      }
      ((c.volumeMounts ?? []) as Array<Record<string, unknown>>).forEach((m, j) => {
        if (!volumeNames.has(String(m.name))) report(`${at}/volumeMounts/${j}/name`, `no volume named '${String(m.name)}' in the pod.`);
      });
      ((c.env ?? []) as Array<Record<string, unknown>>).forEach((e, j) => {
        if (typeof e.name !== 'string' || !/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(e.name)) report(`${at}/env/${j}/name`, `${JSON.stringify(e.name)} is not an environment variable name.`);
      });
    });
  }
  if (spec.serviceAccountName !== undefined && !isDnsSubdomain(String(spec.serviceAccountName))) {
    report(`${path}/serviceAccountName`, `'${String(spec.serviceAccountName)}' is not a DNS-1123 subdomain.`);
  }
  checkLabels(`${path}/nodeSelector`, spec.nodeSelector, report);
}

function checkService(spec: Record<string, unknown>, report: Report): void {
  checkLabels('/spec/selector', spec.selector, report);
  ((spec.ports ?? []) as Array<Record<string, unknown>>).forEach((p, i) => {
    checkPort(`/spec/ports/${i}/port`, p.port, report);
    checkPortRef(`/spec/ports/${i}/targetPort`, p.targetPort, report);
    checkPort(`/spec/ports/${i}/nodePort`, p.nodePort, report);
    checkPortName(`/spec/ports/${i}/name`, p.name, report);
  });
}
