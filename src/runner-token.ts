/**
 * Where the runner's authentication token (`glrt-...`) comes from.
 *
 * The token only ever travels through a Kubernetes Secret: the manager gets it as the environment variable
 * `RUNNER_TOKEN`, and config.toml says `token = "$RUNNER_TOKEN"`, which the runner expands when it loads the file.
 * No synthesized object holds the token itself.
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

  /** The Secret's name. */
  public readonly secretName: string;
  /** The key in the Secret that holds the token. */
  public readonly key: string;

  private constructor(secretName: string, key: string) {
    this.secretName = secretName;
    this.key = key;
  }
}
