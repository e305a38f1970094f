import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { IDENTITY_MESSAGES as M } from './identity.messages';
import { SYNTH_RULES } from './synth';
import { Finding } from '../../model/finding';

// Object identity: two objects of one API group, kind, namespace and name are one object to the API server, so the
// second `kubectl apply` (or the second document of one file) silently replaces the first. Checked over the whole
// app, and reported once per clash, by the construct of this library that declared the later object (or the earlier
// one when the later is not one of ours): the constructs register themselves as owners.

/**
 * Kubernetes kinds without a namespace (the built-in cluster-scoped kinds): their identity ignores
 * metadata.namespace. Any other kind is taken as namespaced, so a clash of an unlisted cluster-scoped kind in two
 * namespaces goes unreported rather than a false error.
 */
const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'StorageClass',
  'PriorityClass', 'RuntimeClass', 'IngressClass', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'APIService',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  'CertificateSigningRequest', 'FlowSchema', 'PriorityLevelConfiguration',
]);

const owners = new WeakSet<IConstruct>();

/** @internal Marks a construct whose API objects are checked for clashes (and which reports them). */
export function registerObjectOwner(owner: IConstruct): void {
  owners.add(owner);
}

/** The identity of an object: group (apiVersion without its version), kind, namespace (if namespaced), name. */
function identityOf(o: ApiObject): string {
  const group = o.apiVersion.includes('/') ? o.apiVersion.slice(0, o.apiVersion.lastIndexOf('/')) : '';
  const namespace = CLUSTER_SCOPED.has(o.kind) ? '' : o.metadata.namespace ?? 'default';
  return `${group}|${o.kind}|${namespace}|${o.name}`;
}

function ownerOf(o: IConstruct): IConstruct | undefined {
  for (let c: IConstruct | undefined = o; c !== undefined; c = c.node.scope) if (owners.has(c)) return c;
  return undefined;
}

function describe(o: ApiObject): string {
  return M.object({ kind: o.kind, name: o.name, namespace: CLUSTER_SCOPED.has(o.kind) ? undefined : o.metadata.namespace ?? 'default' });
}

/**
 * The clashes of each app, found once per validation pass: the app's own validation (which cdk8s runs first, the root
 * coming first in its walk) and FleetSynth refresh them, and every owner reads them, so a pass walks the tree once
 * instead of once per owner.
 */
const passes = new WeakMap<IConstruct, Map<IConstruct, Finding[]>>();
const refreshed = new WeakSet<IConstruct>();

/** @internal Finds the clashes of the app `root` for the owners' validations and FleetSynth to read. */
export function refreshObjectIdentity(root: IConstruct): void {
  passes.set(root, clashesByOwner(root));
}

function clashesByOwner(root: IConstruct): Map<IConstruct, Finding[]> {
  const all = root.node.findAll();
  const first = new Map<string, ApiObject>();
  const byOwner = new Map<IConstruct, Finding[]>();
  for (const c of all) {
    if (!(c instanceof ApiObject)) continue;
    const id = identityOf(c);
    const earlier = first.get(id);
    if (earlier === undefined) {
      first.set(id, c);
      continue;
    }
    const owner = ownerOf(c) ?? ownerOf(earlier);
    if (owner === undefined) continue;
    const rule = SYNTH_RULES.objectIdentity;
    const finding: Finding = {
      ruleId: rule.id,
      severity: rule.severity,
      path: owner.node.path,
      field: 'name',
      message: M.sameObject({ object: describe(c), path: c.node.path, earlierPath: earlier.node.path }),
      fix: rule.fix,
    };
    byOwner.set(owner, [...(byOwner.get(owner) ?? []), finding]);
  }
  return byOwner;
}

/** @internal The object clashes `owner` reports (none if it is not a registered owner). */
export function identityFindings(owner: IConstruct): Finding[] {
  if (!owners.has(owner)) return [];
  const root = owner.node.root;
  return (passes.get(root) ?? clashesByOwner(root)).get(owner) ?? [];
}

/** @internal Adds the node validation that fails app.synth() and Testing.synth on a clash `owner` reports. */
export function addIdentityValidation(owner: IConstruct, line: (f: Finding) => string): void {
  registerObjectOwner(owner);
  const root = owner.node.root;
  if (!refreshed.has(root)) {
    refreshed.add(root);
    root.node.addValidation({
      validate: () => {
        refreshObjectIdentity(root);
        return [];
      },
    });
  }
  owner.node.addValidation({ validate: () => identityFindings(owner).map(line) });
}
