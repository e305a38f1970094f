import { ApiObject, JsonPatch, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { OBJECT_MESSAGES as M } from './manager-object.messages';

// The manager's Kubernetes objects, as cdk8s-plus renders its own: plain ApiObjects whose contents come from the
// manager's model at synth (`Lazy.any`), so they are public for escape-hatch patches, and a Helm release replaces what
// they render instead of deleting them from the tree.

/** @internal The fields every object has; the rest of the object is produced at synth. */
export interface ObjectHeader {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { name: string; namespace?: string; labels?: Record<string, string> };
}

/** The methods of cdk8s's ApiObjectMetadataDefinition that change the metadata. */
const METADATA_CHANGES = ['addLabel', 'addAnnotation', 'addFinalizers', 'addOwnerReference', 'add'] as const;

/**
 * @internal One of the manager's objects. It keeps the JSON patches users add, so that the manager can compare the
 * patched object with what its model renders (the Helm values come from the model), and renders the chart's
 * counterpart in its place once a `RunnerHelmRelease` deploys the manager.
 */
export class _ManagerObject extends ApiObject {
  private readonly patchOps: JsonPatch[] = [];
  private replacement?: ApiObject;
  /**
   * The metadata as declared, taken when a user first changes it (`metadata.addLabel`, `addAnnotation`, ...); unset
   * while nobody has, which is the rule, so an object costs no metadata rendering until synth.
   */
  private declaredMetadata?: string;

  /**
   * @param header apiVersion, kind and metadata, known when the manager is declared
   * @param body produces the other top-level fields at synth
   * @param fields the names of those fields
   */
  constructor(scope: Construct, id: string, header: ObjectHeader, body: () => Record<string, unknown>, fields: readonly string[]) {
    const lazy: Record<string, unknown> = {};
    for (const field of fields) lazy[field] = Lazy.any({ produce: () => body()[field] });
    super(scope, id, { ...lazy, apiVersion: header.apiVersion, kind: header.kind, metadata: header.metadata });
    const metadata = this.metadata as unknown as Record<string, (...args: unknown[]) => unknown>;
    for (const change of METADATA_CHANGES) {
      const original = metadata[change].bind(metadata);
      metadata[change] = (...args: unknown[]) => {
        this.declaredMetadata ??= JSON.stringify(this.metadata.toJson());
        return original(...args);
      };
    }
  }

  /** Patches are kept here and applied in `toJson`, after the contents are produced, as cdk8s applies its own. */
  public override addJsonPatch(...ops: JsonPatch[]): void {
    this.patchOps.push(...ops);
  }

  public override toJson(): any {
    if (this.replacement !== undefined) return this.replacement.toJson();
    const native = super.toJson();
    if (this.patchOps.length === 0) return native;
    let patched: Record<string, unknown>;
    try {
      patched = JsonPatch.apply(native, ...this.patchOps);
    } catch (e) {
      throw new Error(M.patchFailed(this.node.path, this.kind, this.name, `${e}`));
    }
    // Top-level keys in cdk8s's order: apiVersion, kind, metadata, then the rest.
    const result: Record<string, unknown> = {};
    for (const key of ['apiVersion', 'kind', 'metadata', ...Object.keys(patched)]) {
      if (key in patched) result[key] = patched[key];
    }
    return result;
  }

  /** @internal Whether a user added JSON patches, or changed the metadata (`metadata.addLabel`, ...). */
  public get _patched(): boolean {
    return this.patchOps.length > 0
      || (this.declaredMetadata !== undefined && JSON.stringify(this.metadata.toJson()) !== this.declaredMetadata);
  }

  /** @internal What the model renders, without the patches or metadata changes (and without a release's replacement). */
  public _nativeJson(): any {
    const native = super.toJson();
    return this.declaredMetadata === undefined ? native : { ...native, metadata: JSON.parse(this.declaredMetadata) };
  }

  /** @internal What this object renders natively, with the patches (whether or not a release replaced it). */
  public _patchedNativeJson(): any {
    const replacement = this.replacement;
    this.replacement = undefined;
    try {
      return this.toJson();
    } finally {
      this.replacement = replacement;
    }
  }

  /** @internal From now on this object renders `counterpart` (the chart's object of the same kind) instead. */
  public _replaceWith(counterpart: ApiObject): void {
    this.replacement = counterpart;
  }

  /** @internal Whether a release replaced this object. */
  public get _replaced(): boolean {
    return this.replacement !== undefined;
  }
}
