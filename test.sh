#!/usr/bin/env bash
# Runs every test suite (xunit projects, then the Steep 5 and Steep 6 conformance cases when ../shared is present) and ends with
# one line "N passed, M failed" over all of them.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
results="$root/.build/test-results"
rm -rf "$results"; mkdir -p "$results"
passed=0; failed=0

dotnet build Steep.Orleans.sln -c Release --nologo -v q -clp:NoSummary || { echo "0 passed, 1 failed"; exit 1; }
# the end-to-end tests run ./steep, which builds its precompiled binary on first use: build it now, outside their timeouts
"$root/steep" --help >/dev/null || echo "the ./steep launcher could not build the CLI"
dotnet test Steep.Orleans.sln -c Release --no-build --nologo -v q --logger "trx" --results-directory "$results" -- RunConfiguration.TestSessionTimeout=1500000
read -r p f < <(python3 - "$results" <<'PY'
import glob, html, re, sys
p = f = 0
for t in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    s = open(t, encoding="utf-8").read()
    m = re.search(r'<Counters [^>]*', s)
    if m:
        c = dict(re.findall(r'(\w+)="(\d+)"', m.group(0)))
        p += int(c.get("passed", 0))
        counted = int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0)) + int(c.get("aborted", 0))
        f += counted
        # a test host that crashed ends the run early: its counters hold only the tests that ran, none failed, and the
        # tests after the crash never ran, which is a failure of its own
        outcome = re.search(r'<ResultSummary outcome="(\w+)"', s)
        if outcome and outcome.group(1) != "Completed" and counted == 0:
            f += 1
            print("FAILED the test run of %s (%s after %s tests): the test host ended early" % (
                t, outcome.group(1), c.get("executed", "?")), file=sys.stderr)
            for text in re.findall(r'<RunInfo [^>]*outcome="Error"[^>]*>\s*<Text>(.*?)</Text>', s, re.S)[:5]:
                print("    " + html.unescape(text).strip()[:3000].replace("\n", "\n    "), file=sys.stderr)
    # each failure's message and the test's own output, so that a CI log alone tells what went wrong
    for r in re.finditer(r'<UnitTestResult [^>]*testName="([^"]*)"[^>]*outcome="Failed"[^>]*>(.*?)</UnitTestResult>', s, re.S):
        def part(tag):
            m2 = re.search(r'<%s>(.*?)</%s>' % (tag, tag), r.group(2), re.S)
            return html.unescape(m2.group(1)).strip() if m2 else ""
        print("FAILED " + html.unescape(r.group(1)), file=sys.stderr)
        for tag, limit in (("Message", 3000), ("StackTrace", 1500), ("StdOut", 4000)):
            text = part(tag)
            if text: print("  %s:\n    %s" % (tag, text[-limit:].replace("\n", "\n    ")), file=sys.stderr)
print(p, f)
PY
)
passed=$((passed + p)); failed=$((failed + f))
if [ "$p" = 0 ] && [ "$f" = 0 ]; then failed=$((failed + 1)); echo "no test results found"; fi

# the Steep 5 cases and the Steep 6.9 cases (macros, include actions, 6.9 validation), both counted
for suite in steep-5 steep-6; do
  shared="$root/../shared/conformance/$suite"
  if [ -d "$shared" ]; then
    out="$(python3 "$root/../shared/conformance/check.py" "$shared" --steep "$root/steep" 2>&1)"
    echo "$out" | grep -v '^PASS'
    line="$(echo "$out" | tail -n 1)"
    if [[ "$line" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
      echo "conformance $suite: $line"
      passed=$((passed + BASH_REMATCH[1])); failed=$((failed + BASH_REMATCH[2]))
    else
      failed=$((failed + 1)); echo "conformance check $suite did not finish"
    fi
  else
    echo "conformance $suite: skipped (../shared/conformance not found next to the repository)"
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
