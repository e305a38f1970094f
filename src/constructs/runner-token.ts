import type * as kplus from 'cdk8s-plus-28';

/**
 * Where the runner's authentication token (`glrt-...`) comes from.
 *
 * The token only ever travels through a Kubernetes Secret: the manager's init container reads it from a Secret volume
 * and writes it into the runner's config.toml, a copy of the ConfigMap's in a memory-backed emptyDir (mode 0600). The
 * ConfigMap and the Helm values hold a placeholder; no synthesized object holds the token itself. This works on every
 * runner version: `token = "$RUNNER_TOKEN"` would be sent to GitLab literally by runners before 18.10.0.
 */
export class RunnerToken {
  /**
   * A token stored in an existing Secret in the manager's namespace.
   *
   * @param secretName the Secret's name
   * @param key the key holding the token
   */
  public static fromSecret(secretName: string, key: string = 'runner-token'): RunnerToken {
    return new RunnerToken(secretName, key);
  }

  /**
   * A token stored in a cdk8s-plus-28 Secret (declared in the app, or `kplus.Secret.fromSecretName`) in the manager's
   * namespace. Only the Secret's name is read; cdk8s-plus-28 is not loaded.
   *
   * @param secret the Secret
   * @param key the key holding the token
   */
  public static fromKplusSecret(secret: kplus.ISecret, key: string = 'runner-token'): RunnerToken {
    // A Secret declared in the app knows its namespace; one referred to by name does not.
    const namespace: unknown = (secret as { metadata?: { namespace?: unknown } } | undefined)?.metadata?.namespace;
    return new RunnerToken(secret?.name, key, typeof namespace === 'string' ? namespace : undefined);
  }

  /** The Secret's name. */
  public readonly secretName: string;
  /** The key in the Secret that holds the token. */
  public readonly key: string;

  /** @internal The namespace of the Secret, when it is known (a cdk8s-plus Secret declared in the app). */
  public readonly _namespace?: string;

  private constructor(secretName: string, key: string, namespace?: string) {
    this.secretName = secretName;
    this.key = key;
    this._namespace = namespace;
  }
}
