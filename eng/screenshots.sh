#!/usr/bin/env bash
# The portal's screenshots for the README: runs the portal browser tests with CHATPORT_SCREENSHOTS=docs/screenshots,
# so each page a test passes to Screenshots.SaveScreenshotsAsync is saved there as NAME-desktop.png (1280x800) and
# NAME-phone.png (390x844), full page. Needs Chromium (apt-get install chromium; or CHATPORT_TEST_CHROMIUM naming
# one) and the .NET SDK. Extra arguments go to `dotnet test`.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${CHATPORT_TEST_CHROMIUM:-}" ] && chromium_path="$(command -v chromium)"; then
  export CHATPORT_TEST_CHROMIUM="$chromium_path"
fi
mkdir -p docs/screenshots
export CHATPORT_SCREENSHOTS="$PWD/docs/screenshots" # absolute: the tests run in their output folder
dotnet test tests/Chatport.Tests --nologo --filter "FullyQualifiedName~Portal" "$@"
echo "eng/screenshots.sh: screenshots in docs/screenshots"
ls -1 docs/screenshots
