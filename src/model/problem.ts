// The shape of every message of the library: what is wrong and how to fix it. Message tables (the `*.messages.ts`
// files beside the logic that uses them) are functions from the data a check found to a Problem; the logic decides,
// the tables word it.

/** @internal What is wrong, with the offending value, and how to fix this instance. */
export interface Problem {
  readonly message: string;
  readonly fix: string;
}
