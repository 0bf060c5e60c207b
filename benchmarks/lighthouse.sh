#!/usr/bin/env bash
# Google Lighthouse on the built site (issue 18): mobile, default (simulated)
# throttling, on four pages: the home page, one article, /countries/iraq/ and
# /countries/. The target is performance, accessibility and SEO at 100 on each;
# best practices is reported too.
#
# What it does, end to end, touching nothing in the repository:
#   1. installs the pinned Lighthouse with npm into a scratch folder (kept and
#      reused by later runs);
#   2. ingests seeds/ into a scratch copy of content/ and builds the site into a
#      scratch folder with a loopback base URL, so the canonical links, the
#      sitemap and robots.txt's Sitemap line are absolute, as in production;
#   3. serves that folder on 127.0.0.1 with python3 -m http.server, runs
#      Lighthouse on the four pages with headless Chromium, prints a table of
#      the four category scores per page and every failing audit that counts.
# Exits 1 when performance, accessibility or SEO is below 100 on any page, or
# robots.txt lacks its Sitemap line. Only loopback is used once npm is done.
#
# Run from anywhere (needs node >= 18.16, npm, Chromium, python3):
#     bash benchmarks/lighthouse.sh
# Settings, from the environment:
#     CHROME_PATH=/usr/bin/chromium   the Chromium to drive (`bash .ci/system-deps` installs it)
#     LH_DIR=/tmp/briefing-lighthouse-<version>   where Lighthouse is installed
#     WORK=<new temporary folder>     site, content copy and JSON reports (kept, path printed)
#     ARTICLE=/articles/<slug>/       the article page (default: the first article by slug)
# Performance is simulated from one page load and moves by a point or two
# between runs on a busy machine: run it again before chasing a 99.
set -euo pipefail

LIGHTHOUSE_VERSION=12.8.2   # the newest that runs on node 20 (13.x needs node >= 22.19)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
LH_DIR=${LH_DIR:-${TMPDIR:-/tmp}/briefing-lighthouse-$LIGHTHOUSE_VERSION}
WORK=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/briefing-lighthouse-run.XXXXXX")}
PYTHON=$ROOT/.venv/bin/python

[ -x "$CHROME_PATH" ] || { echo "no Chromium at $CHROME_PATH: set CHROME_PATH, or run: bash .ci/system-deps" >&2; exit 2; }

# 1. Lighthouse, pinned, outside the repository.
LIGHTHOUSE=$LH_DIR/node_modules/.bin/lighthouse
if [ ! -x "$LIGHTHOUSE" ] || [ "$("$LIGHTHOUSE" --version)" != "$LIGHTHOUSE_VERSION" ]; then
  echo "installing lighthouse@$LIGHTHOUSE_VERSION into $LH_DIR"
  mkdir -p "$LH_DIR"
  (cd "$LH_DIR" && { [ -f package.json ] || npm init -y >/dev/null; } \
     && npm install --no-audit --no-fund --save-exact --silent "lighthouse@$LIGHTHOUSE_VERSION")
fi

# 2. The site, from the seeds, with an absolute loopback base URL.
[ -x "$PYTHON" ] || make -C "$ROOT" .venv/.installed   # the pinned Python requirements
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE=http://127.0.0.1:$PORT
mkdir -p "$WORK/reports"
rm -rf "$WORK/content" "$WORK/site" "$WORK/cache"
cp -R "$ROOT/content" "$WORK/content"   # site.yaml, topics.yaml and the aliases live there too
"$PYTHON" "$ROOT/build.py" --quiet --seeds "$ROOT/seeds" --content "$WORK/content" \
  --output "$WORK/site" --cache "$WORK/cache" --base-url "$BASE"

articles=("$WORK"/site/articles/*/)   # sorted by slug
ARTICLE=${ARTICLE:-/articles/$(basename "${articles[0]}")/}
PAGES=("home /" "article $ARTICLE" "country /countries/iraq/" "countries /countries/")

# 3. Serve on loopback, audit, report.
python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$WORK/site" >"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true' EXIT
python3 - "$BASE/" <<'PY'   # wait until the server answers
import sys, time, urllib.request
for _ in range(50):
    try:
        urllib.request.urlopen(sys.argv[1], timeout=1); break
    except OSError:
        time.sleep(0.2)
else:
    sys.exit("the server on " + sys.argv[1] + " did not answer")
PY

status=0
if ! grep -qx "Sitemap: $BASE/sitemap.xml" "$WORK/site/robots.txt"; then
  echo "robots.txt has no 'Sitemap: $BASE/sitemap.xml' line" >&2
  status=1
fi

for page in "${PAGES[@]}"; do
  read -r name path <<<"$page"
  echo "lighthouse $BASE$path"
  profile=$(mktemp -d)
  "$LIGHTHOUSE" "$BASE$path" --quiet --output=json --output-path="$WORK/reports/$name.json" \
    --chrome-flags="--headless --no-sandbox --disable-gpu --disable-background-networking --user-data-dir=$profile" \
    || status=1
  rm -rf "$profile"
done

python3 - "$WORK/reports" "${PAGES[@]}" <<'PY' || status=1
import json, sys
from pathlib import Path

reports, pages = Path(sys.argv[1]), [p.split(" ", 1) for p in sys.argv[2:]]
categories = ["performance", "accessibility", "best-practices", "seo"]
required = {"performance", "accessibility", "seo"}
failed = []
print()
print(f"{'page':<10}" + "".join(f"{c:>16}" for c in categories) + "  url")
for name, path in pages:
    report = reports / f"{name}.json"
    if not report.exists():
        print(f"{name:<10}{'no report':>16}  {path}"); failed.append(path); continue
    result = json.loads(report.read_text())
    scores = {c: result["categories"][c]["score"] for c in categories}
    print(f"{name:<10}" + "".join(f"{'-' if s is None else round(s * 100):>16}" for s in scores.values()) + f"  {path}")
    if any(scores[c] is None or scores[c] < 1 for c in required):
        failed.append(path)
    for c in categories:   # the audits that cost points (weight > 0)
        for ref in result["categories"][c]["auditRefs"]:
            audit = result["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                print(f"    {c}: {audit['id']} ({audit['score']}) {audit['title']} {audit.get('displayValue', '')}")
print()
print(f"JSON reports in {reports}")
if failed:
    sys.exit("below 100 in performance, accessibility or SEO: " + ", ".join(failed))
PY
exit "$status"
