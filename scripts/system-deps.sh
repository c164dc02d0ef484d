#!/usr/bin/env bash
# Check for the system packages publish needs; install what is missing when we can.
#   scripts/system-deps.sh build   what `make` needs: Pango and HarfBuzz's subsetter (WeasyPrint)
#   scripts/system-deps.sh test    also a Java runtime (EPUBCheck), poppler-utils and qpdf,
#                                  Chromium and Node.js (DAISY Ace), Calibre (the Kindle check)
# As root with apt-get (Debian, Ubuntu) it installs them; otherwise it names them and fails.
set -euo pipefail

profile=${1:-build}
missing=()

libs=$(ldconfig -p 2>/dev/null || true)
have_lib() { [[ $libs == *"$1"* ]]; }

have_lib 'libpango-1.0.so.0' || missing+=(libpango-1.0-0)
have_lib 'libpangoft2-1.0.so.0' || missing+=(libpangoft2-1.0-0)
have_lib 'libharfbuzz-subset.so.0' || missing+=(libharfbuzz-subset0)
if [[ $profile == test ]]; then
  command -v java >/dev/null || missing+=(default-jre-headless)
  command -v pdffonts >/dev/null || missing+=(poppler-utils)
  command -v qpdf >/dev/null || missing+=(qpdf)
  [[ -x /usr/bin/chromium ]] || missing+=(chromium)
  command -v node >/dev/null || missing+=(nodejs)
  command -v npm >/dev/null || missing+=(npm)
  command -v ebook-convert >/dev/null || missing+=(calibre)
fi

((${#missing[@]} == 0)) && exit 0

if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
  echo "installing system packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  # A fresh machine has no package lists yet; refresh them once if the install cannot find one.
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null 2>&1 || {
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  }
  exit 0
fi

echo "publish needs these system packages: ${missing[*]}" >&2
echo "install them with:  sudo apt-get install ${missing[*]}" >&2
exit 1
