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

/**
 * awk: the rule that gathers the whole input (a Secret's file, piped in with an `x` appended so trailing newlines
 * survive awk's line reading) into the variable `name`, and the first lines of the END block that check the `x`, drop
 * it and refuse an empty value. `cannotRead` and `empty` are awk string expressions for the two failures.
 */
export function awkReadWhole(name: string, cannotRead: string, empty: string): string {
  return String.raw`{ ${name} = (NR == 1) ? $0 : (${name} "\n" $0) }
END {
  if (NR == 0 || substr(${name}, length(${name})) != "x") fail(${cannotRead})
  ${name} = substr(${name}, 1, length(${name}) - 1)
  if (${name} == "") fail(${empty})`;
}

/**
 * awk: copies the file `src` line by line, printing `replacement` instead of the one line equal to `target` (awk
 * expressions both), and fails when the file cannot be read or holds that line other than once (`notOnce`: the
 * failure's message, an awk string expression that may use `found`).
 */
export function awkReplaceOneLine(target: string, replacement: string, notOnce: string): string {
  return String.raw`  found = 0
  while ((status = (getline line < src)) > 0) {
    if (line == ${target}) { print ${replacement}; found++ } else print line
  }
  if (status < 0) fail("cannot read " src)
  if (found != 1) fail(${notOnce})`;
}
