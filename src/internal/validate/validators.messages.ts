import { show } from './validators';
import type { Problem } from '../../model/problem';

/** Messages about a value's type that every prop check shares, whatever construct or table it belongs to. */
export const VALUE_MESSAGES = {
  notBoolean: (value: unknown): Problem => ({ message: `${show(value)} is not true or false.`, fix: 'give a boolean.' }),
};
