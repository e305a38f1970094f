/** @internal The wording of the errors a manager object throws while it is rendered. */
export const OBJECT_MESSAGES = {
  /** `cause`: the error JsonPatch threw, as text. */
  patchFailed: (path: string, kind: string, name: string, cause: string): string =>
    `Failed applying a JSON patch to the construct at path '${path}' (${kind} ${name}): ${cause}`,
};
