#!/bin/sh
# Installs the native linear-algebra runtime Davies uses (OpenBLAS, with the LAPACK inside it) on Debian/Ubuntu, as
# root. Idempotent: runs apt-get update/install only when a package is missing.
# With --with-browser, or in CI (CI=true), also Debian's chromium: the test of `davies report` renders the page in
# headless Chromium (tests/Davies.Cli.Tests/ReportBrowserTests.cs; skipped with a message where it is missing).
set -eu

PACKAGES="libopenblas0-pthread"
if [ "${1:-}" = "--with-browser" ] || [ "${CI:-}" = "true" ]; then
    PACKAGES="$PACKAGES chromium fonts-dejavu-core"
fi

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

if [ -n "$missing" ]; then
    echo "install-deps: installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
