#!/usr/bin/env bash
# The source's line limit with strings and template literals counted (the project lint ignores them, so messages
# written inside logic escape it). Usage: scripts/lint-lines.sh [paths...] (default: src).
set -euo pipefail
export ESLINT_USE_FLAT_CONFIG=false
npx eslint --ext .ts --no-error-on-unmatched-pattern --no-eslintrc --parser @typescript-eslint/parser \
  --plugin @stylistic --plugin @typescript-eslint \
  --rule '{"@stylistic/max-len": ["error", {"code": 150, "ignoreUrls": true, "ignoreComments": true, "ignoreRegExpLiterals": true}]}' \
  "${@:-src}"
