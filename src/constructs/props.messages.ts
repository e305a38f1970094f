import { MTU_FIX, show } from '../internal/validate/validators';
import { VALUE_MESSAGES } from '../internal/validate/validators.messages';
import type { Problem } from '../model/problem';

/**
 * @internal The prop errors several constructs word the same way (a wrong type): one entry each, so the words are
 * written once.
 */
export const PROP_MESSAGES = {
  notBoolean: VALUE_MESSAGES.notBoolean,
  /** The first halves of errors whose fix depends on the construct. */
  notImageReference: (image: unknown): string => `${show(image)} is not an image reference.`,
  notNamespaceName: (namespace: unknown): string => `${show(namespace)} is not a valid namespace name.`,
  /** The first half of a "not a list" error; the fix names what the list holds. */
  notList: (value: unknown): string => `${show(value)} is not a list.`,
  notMtu: (mtu: unknown): Problem => ({ message: `${show(mtu)} is not a usable MTU.`, fix: MTU_FIX }),
  notEnvName: (name: string): Problem => ({
    message: `${show(name)} is not an environment variable name.`,
    fix: 'use letters, digits and underscores, not starting with a digit.',
  }),
  notPort: (port: unknown): Problem => ({ message: `${show(port)} is not a TCP port.`, fix: 'give a whole number from 1 to 65535.' }),
  notString: (value: unknown): Problem => ({ message: `${show(value)} is not a string.`, fix: PROP_MESSAGES.asStringFix(value) }),
  /** The fix for a value that must be a string: quote it (a number or boolean), or give text. */
  asStringFix: (value: unknown): string =>
    (typeof value === 'number' || typeof value === 'boolean' ? `write it as a string, e.g. '${value}'.` : 'give it as a string.'),
};
