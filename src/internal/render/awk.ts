// awk fragments of the init containers' scripts, which write secrets into the runner's config.toml copy.

/** awk: the code of every C0 control character and DEL, for awkTomlEscape. */
export const AWK_CONTROL_CODES = 'BEGIN { for (i = 1; i < 32; i++) code[sprintf("%c", i)] = i; code[sprintf("%c", 127)] = 127 }';

/**
 * awk: sets `escaped` to the TOML basic-string escape of the variable `name` (backslash and quote escaped, control
 * characters as \u and four hex digits, every other byte as is). Shared by the token's and the cache credentials' init scripts.
 */
export function awkTomlEscape(name: string): string {
  return String.raw`  escaped = ""
  for (i = 1; i <= length(${name}); i++) {
    c = substr(${name}, i, 1)
    if (c == "\\" || c == "\"") escaped = escaped "\\" c
    else if (c in code) escaped = escaped sprintf("\\u%04X", code[c])
    else escaped = escaped c
  }`;
}
