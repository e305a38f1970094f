import type { TaintEffect } from './taint-effect';

/**
 * A toleration of a pod: of the manager pods (`RunnerManagerProps.tolerations`) or of every job pod
 * (`JobPodTemplateProps.tolerations`, config.toml's `node_tolerations`).
 */
export interface Toleration {
  /** The taint key. */
  readonly key: string;

  /**
   * The taint value; without it the toleration matches any value (operator `Exists`).
   *
   * @default - any value
   */
  readonly value?: string;

  /**
   * The taint effect tolerated.
   *
   * @default - every effect
   */
  readonly effect?: TaintEffect;
}
