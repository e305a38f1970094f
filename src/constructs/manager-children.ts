import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { CHILDREN_MESSAGES as M } from './manager-children.messages';
import { _ManagerObject, ObjectHeader } from './manager-object';
import * as manifests from '../internal/render/manager-manifests';
import { monitorsOf, podMonitor, serviceMonitor } from '../internal/render/monitors';
import { PatchedObject } from '../internal/rules/patches';
import type { ManagerModel } from '../model/manager';

// The manager's child objects: declared with the manager (so users can patch them), rendered from its model at synth.

/** @internal The manager's objects, by the public member that holds each. */
export interface ManagerChildren {
  /** Absent when the manager runs as an existing ServiceAccount (`serviceAccount.existingName`). */
  readonly serviceAccount?: _ManagerObject;
  readonly role: _ManagerObject;
  readonly roleBinding: _ManagerObject;
  readonly configMap: _ManagerObject;
  readonly deployment: _ManagerObject;
  readonly metricsService?: _ManagerObject;
  readonly podDisruptionBudget?: _ManagerObject;
  readonly podMonitor?: _ManagerObject;
  readonly serviceMonitor?: _ManagerObject;
}

/** An object whose whole rendering is cheap: its header and field names come from one render at declaration. */
function child(scope: Construct, id: string, render: () => Record<string, unknown> & ObjectHeader): _ManagerObject {
  const first = render();
  const fields = Object.keys(first).filter((k) => !['apiVersion', 'kind', 'metadata'].includes(k));
  return new _ManagerObject(scope, id, { apiVersion: first.apiVersion, kind: first.kind, metadata: first.metadata }, render, fields);
}

/**
 * @internal Declares the manager's objects under `scope`, in the order (and with the ids) the manager has always
 * created them. Their contents are produced at synth; the Deployment's and the ConfigMap's headers are known without
 * rendering them.
 */
export function declareManagerObjects(scope: Construct, m: ManagerModel, configToml: string): ManagerChildren {
  // The ServiceAccount's metadata is every namespaced object's metadata in the manager's namespace, with its name.
  const base = manifests.serviceAccount(m).metadata;
  const deploymentHeader: ObjectHeader = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: base };
  const configMapHeader: ObjectHeader = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { ...base, name: manifests.configMapName(m) } };
  const monitors = monitorsOf(m);
  const createServiceAccount = m.pod?.createServiceAccount ?? true;
  return {
    serviceAccount: createServiceAccount ? child(scope, 'ServiceAccount', () => manifests.serviceAccount(m)) : undefined,
    role: child(scope, 'Role', () => manifests.role(m)),
    roleBinding: child(scope, 'RoleBinding', () => manifests.roleBinding(m)),
    configMap: new _ManagerObject(scope, 'ConfigMap', configMapHeader, () => manifests.configMap(m, configToml), ['data']),
    deployment: new _ManagerObject(scope, 'Deployment', deploymentHeader, () => manifests.deployment(m, configToml), ['spec']),
    metricsService: m.metricsService ? child(scope, 'MetricsService', () => manifests.metricsService(m)) : undefined,
    podDisruptionBudget: manifests.podDisruptionBudget(m) ? child(scope, 'PodDisruptionBudget', () => disruptionBudget(m)) : undefined,
    podMonitor: monitors.podMonitor ? child(scope, 'PodMonitor', () => podMonitor(m)) : undefined,
    serviceMonitor: monitors.serviceMonitor ? child(scope, 'ServiceMonitor', () => serviceMonitor(m)) : undefined,
  };
}

/** Kinds the chart 0.86.0 does not render, which a release keeps from the native objects. */
const NATIVE_ONLY_KINDS = new Set(['PodDisruptionBudget']);

/** The PodDisruptionBudget, declared only when the model has one. */
function disruptionBudget(m: ManagerModel): Record<string, unknown> & ObjectHeader {
  const budget = manifests.podDisruptionBudget(m);
  if (budget === undefined) throw new Error(M.noDisruptionBudget(m.path));
  return budget;
}

function present(children: ManagerChildren): _ManagerObject[] {
  return Object.values(children).filter((c): c is _ManagerObject => c !== undefined);
}

/** @internal The patched objects: what the model renders, and what the patches made of it. */
export function patchedObjects(children: ManagerChildren): PatchedObject[] {
  return present(children).filter((c) => c._patched).map((c) => ({ kind: c.kind, native: c._nativeJson(), patched: c._patchedNativeJson() }));
}

/**
 * @internal Makes each of the manager's objects render its counterpart among the chart's objects (the one of the same
 * kind), and returns the chart's objects that have none. Throws when a manager object has no counterpart: the release
 * would deploy the native object beside the chart's.
 */
export function replaceWithChart(path: string, children: ManagerChildren, chartObjects: readonly ApiObject[]): ApiObject[] {
  const byKind = new Map<string, ApiObject[]>();
  for (const o of chartObjects) byKind.set(o.kind, [...(byKind.get(o.kind) ?? []), o]);
  const used = new Set<ApiObject>();
  for (const native of present(children)) {
    // The chart has no PodDisruptionBudget (HELM012): the native one stays, and selects the chart's pods by the labels
    // both carry.
    if (NATIVE_ONLY_KINDS.has(native.kind)) continue;
    const candidates = byKind.get(native.kind) ?? [];
    if (candidates.length !== 1) {
      throw new Error(M.chartKindCount(path, candidates.length, native.kind));
    }
    native._replaceWith(candidates[0]);
    used.add(candidates[0]);
  }
  return chartObjects.filter((o) => !used.has(o));
}
