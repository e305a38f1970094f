import type { Problem } from '../../model/problem';

// The wording of the checks of strings no output may carry (secrets.ts): credentials in plain text, NUL characters
// in what becomes a process's environment or arguments, lone UTF-16 surrogates.

export const SECRETS_MESSAGES = {
  /** What credential a GitLab URL carries (completes `plainText`). */
  url: {
    tokenVariable: 'the runner token\'s variable $RUNNER_TOKEN, which the runner expands into the URL',
    userInfo: 'user credentials (user:password@ before the host)',
    queryParameter: (name: string) => `a credential in the query parameter ${name}=`,
  },
  /** The first characters of a secret, enough to find it in the props and too few to use it. */
  redacted: (value: string) => `'${value.slice(0, 4)}...' (${value.length} characters)`,
  /** A credential (`what`) in `subject` (the redacted value, or the key holding it); the fix depends on the field. */
  plainText: (field: string, subject: string, what: string): Problem => ({
    message: `${subject} holds ${what}; it would be written in plain text to config.toml (a ConfigMap), the Helm values `
      + 'and the review files in dist/.',
    fix: credentialFix(field),
  }),
  nul: (index: number): Problem => ({
    message: `holds a NUL character (at index ${index}); it becomes a container's environment or argument, and the container runtime `
      + "cannot pass a string with NUL to exec(2) (Go's syscall refuses it), so the job's containers do not start.",
    fix: 'remove the NUL character; binary data belongs in a Secret or a file the job mounts.',
  }),
  loneSurrogate: (codeUnit: number, index: number): Problem => ({
    message: `holds a lone surrogate (U+${codeUnit.toString(16).toUpperCase()} at index ${index}, half of a UTF-16 pair), `
      + "which no output can carry: TOML and Kubernetes' JSON replace it with U+FFFD.",
    fix: 'remove the stray character, or complete the pair (a broken copy and paste, or a string cut in the middle of an emoji).',
  }),
};

/** The fix for a credential found in `field`. */
function credentialFix(field: string): string {
  if (field === 'gitlabUrl') {
    return "give the URL without credentials, e.g. 'https://gitlab.example.com/'; the runner authenticates with the token from "
      + 'RunnerToken.fromSecret.';
  }
  if (/(^|\.)bearer_token$/.test(field)) {
    return 'leave bearer_token out: in the cluster the manager authenticates with its ServiceAccount; a token it needs belongs in a Secret.';
  }
  if (/(^|\.)environment\./.test(field)) {
    return 'store the value as a masked CI/CD variable in GitLab (Settings > CI/CD > Variables) and drop it here; '
      + 'job environment in config.toml is plain text.';
  }
  return 'keep the credential in a Kubernetes Secret and reference it (RunnerToken.fromSecret for the runner token, '
    + 'image_pull_secrets or a secret volume for others).';
}
