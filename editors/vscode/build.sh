#!/usr/bin/env bash
# Builds the VS Code extension: installs its npm packages from the lock file, type-checks,
# runs the unit tests, and packages align.vsix. Needs Node.js 20 and npm; no VS Code.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
npm test
npx vsce package --out align.vsix
echo "Built $(pwd)/align.vsix; install it with: code --install-extension align.vsix"
