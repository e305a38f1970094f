/** How GitLab Runner decodes the TOML value of a `[runners.kubernetes]` key, from the key's Go type. */
export type KeyKind =
  | 'string' | 'integer' | 'number' | 'boolean' | 'strings' | 'integers' | 'stringOrStrings' | 'stringMap' | 'integerMap'
  | 'duration' | 'table' | 'tables';
