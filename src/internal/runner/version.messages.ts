import type { Problem } from '../../model/problem';
import { show } from '../validate/validators';

// The wording of the problems that keep a manager's runner version from being known (version.ts). `range` is the
// supported versions, e.g. `17.0.0 to 19.4.0.x`.

export const VERSION_MESSAGES = {
  notVersion: (v: unknown): Problem => ({ message: `${show(v)} is not a GitLab Runner version.`, fix: "give it as 'X.Y.Z', e.g. '18.3.0'." }),
  contradicts: (given: string, image: string, fromTag: string): Problem => ({
    message: `runnerVersion '${given}' contradicts the image ${show(image)}, whose tag says ${fromTag}.`,
    fix: `drop runnerVersion (the tag says the version), or use an image tagged v${given}.`,
  }),
  noTagVersion: (image: string, range: string): Problem => ({
    message: `the image ${show(image)} has no version in its tag (like v18.3.0 or alpine-v18.9.0), `
      + 'so which config.toml keys and feature flags the runner knows is unknown.',
    fix: `set runnerVersion to the GitLab Runner version the image holds (supported: ${range}), or use an image tagged with its version.`,
  }),
  /** A version outside the supported range (older or newer), or inside it but never released (no such minor). */
  unsupported: (version: string, range: string, older: boolean, newer: boolean, majorMinor: string): Problem => ({
    message: older || newer
      ? `GitLab Runner ${version} is ${older ? 'older' : 'newer'} than the versions this library knows the config.toml keys of (${range}).`
      : `GitLab Runner ${version} is not a release this library knows: there was no ${majorMinor} among the minor releases from ${range}.`,
    fix: `use a runner image from ${range}${newer ? ', or a newer release of this library' : ''}.`,
  }),
};
