#!/bin/sh
# Installs the native linear-algebra runtime Davies uses (OpenBLAS + LAPACKE) on Debian/Ubuntu, as root.
# Idempotent: runs apt-get update/install only when a package is missing, and selects OpenBLAS's LAPACK as the
# liblapack.so.3 alternative when another one (e.g. the slow reference LAPACK) is active.
# With --with-browser, or in CI (CI=true), also Debian's chromium: the test of `davies report` renders the page in
# headless Chromium (tests/Davies.Cli.Tests/ReportBrowserTests.cs; skipped with a message where it is missing).
set -eu

PACKAGES="libopenblas0-pthread liblapacke"
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

arch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo "$(uname -m)-linux-gnu")
alt="liblapack.so.3-$arch"
openblas_lapack="/usr/lib/$arch/openblas-pthread/liblapack.so.3"
if [ -e "$openblas_lapack" ]; then
    current=$(update-alternatives --query "$alt" 2>/dev/null | sed -n 's/^Value: //p')
    if [ "$current" != "$openblas_lapack" ]; then
        echo "install-deps: selecting $openblas_lapack for $alt"
        update-alternatives --quiet --set "$alt" "$openblas_lapack"
    fi
else
    echo "install-deps: warning: $openblas_lapack not found; LAPACKE may use the reference LAPACK" >&2
fi
