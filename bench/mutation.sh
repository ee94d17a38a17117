#!/usr/bin/env bash
# Mutation testing (mutmut 3) of the core modules that keep promises.  Slow: not part of CI.
#
#   bench/mutation.sh                 every module below, one after the other
#   bench/mutation.sh storage state   only these modules
#   MUTATION_JOBS=1 bench/mutation.sh ...   fewer parallel test processes (default 2)
#
# Each module runs in a scratch copy of the project (mutmut writes its mutants/ folder
# and reads [tool.mutmut] from pyproject.toml in the current folder), with only that
# module mutated and only its unit tests run.  It prints, per module, the share of
# mutants killed; surviving mutants are listed, marked "equivalent" when
# bench/mutation_equivalent.txt gives a reason (one line each: mutant name, then reason).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
JOBS=${MUTATION_JOBS:-2}
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
export HYPOTHESIS_PROFILE=mutation  # fewer property-test examples per mutant (tests/conftest.py)

# key | module file | its unit tests (space-separated)
MODULES="
storage|tuireader/core/storage.py|tests/unit/test_storage.py
bookmarks-store|tuireader/core/bookmarks/store.py|tests/unit/test_bookmark_store_rules.py tests/unit/test_bookmarks.py tests/unit/test_bookmark_store_edges.py tests/unit/test_bookmark_merge_properties.py tests/unit/test_reanchor.py tests/unit/test_reanchor_context.py tests/unit/test_highlights.py
bookmarks-schema|tuireader/core/bookmarks/schema.py|tests/unit/test_bookmark_schema.py tests/unit/test_bookmark_schema_writing.py tests/unit/test_bookmarks.py tests/unit/test_bookmark_merge_properties.py tests/unit/test_bookmark_merge_rules.py tests/unit/test_bookmarks_filtering.py tests/unit/test_export_edges.py tests/unit/test_highlights.py tests/unit/test_highlights_edges.py
bookmarks-merge|tuireader/core/bookmarks/merge.py|tests/unit/test_bookmark_merge_rules.py tests/unit/test_bookmarks_merge_export.py tests/unit/test_bookmark_merge_properties.py
reanchor|tuireader/core/bookmarks/reanchor.py|tests/unit/test_reanchor_decisions.py tests/unit/test_reanchor_messages.py tests/unit/test_reanchor.py tests/unit/test_reanchor_context.py tests/unit/test_reanchor_properties.py tests/unit/test_matching_edges.py
matching|tuireader/core/bookmarks/matching.py|tests/unit/test_reanchor_decisions.py tests/unit/test_reanchor.py tests/unit/test_reanchor_context.py tests/unit/test_reanchor_properties.py tests/unit/test_matching_edges.py
highlights|tuireader/core/bookmarks/highlights.py|tests/unit/test_highlights.py
sanitize|tuireader/core/sanitize.py|tests/unit/test_sanitize.py tests/unit/test_display_text.py tests/unit/test_textload.py tests/unit/test_cli_edges.py
ranking|tuireader/core/search/query.py|tests/unit/test_search_ranking.py tests/unit/test_search_ranking_parts.py tests/unit/test_search.py tests/unit/test_query_syntax.py tests/unit/test_search_multilingual.py tests/unit/test_search_cache.py tests/unit/test_search_every.py tests/unit/test_search_word_forms.py
scoring|tuireader/core/search/scoring.py|tests/unit/test_search_ranking.py tests/unit/test_search_ranking_parts.py tests/unit/test_search.py tests/unit/test_query_syntax.py tests/unit/test_search_multilingual.py tests/unit/test_search_cache.py tests/unit/test_search_every.py tests/unit/test_search_word_forms.py
state|tuireader/core/state.py|tests/unit/test_state.py
yamlio|tuireader/core/yamlio.py|tests/unit/test_yamlio.py
lineindex|tuireader/core/lineindex.py|tests/unit/test_lineindex.py tests/unit/test_lineindex_properties.py
"

wanted=" $* "
summary=()
scratch_root=$(mktemp -d "${TMPDIR:-/tmp}/tuireader-mutation.XXXXXX")
trap 'rm -rf "$scratch_root"' EXIT

while IFS='|' read -r key module tests; do
    [ -n "$key" ] || continue
    if [ $# -gt 0 ] && [[ "$wanted" != *" $key "* ]]; then continue; fi
    if [ ! -f "$module" ]; then
        echo "== $key: $module does not exist here, skipped"
        summary+=("$(printf '%-17s skipped (no %s)' "$key" "$module")")
        continue
    fi
    existing=""
    for test in $tests; do [ -f "$test" ] && existing="$existing $test"; done
    work="$scratch_root/$key"
    mkdir -p "$work"
    cp -r tuireader tests seeds themes pyproject.toml README.md "$work/"
    "$PYTHON" - "$work/pyproject.toml" "$module" $existing <<'PY'
import re, sys
path, module, tests = sys.argv[1], sys.argv[2], sys.argv[3:]
text = open(path, encoding="utf-8").read()
def setting(name: str, values: list[str]) -> None:
    global text
    line = f"{name} = [{', '.join(repr(v).replace(chr(39), chr(34)) for v in values)}]"
    text, count = re.subn(rf"^{name} = \[.*\]$", line, text, flags=re.M)
    assert count == 1, name
setting("only_mutate", [module])
setting("pytest_add_cli_args_test_selection", tests)
open(path, "w", encoding="utf-8").write(text)
PY
    echo "== $key: mutating $module; tests:$existing"
    start=$(date +%s)
    (cd "$work" && "$PYTHON" -m mutmut run --max-children "$JOBS" > mutmut.log 2>&1) || {
        echo "mutmut failed for $key; the end of its log:"; tail -30 "$work/mutmut.log"; exit 1; }
    (cd "$work" && "$PYTHON" -m mutmut results --all true) > "$work/results.txt"
    line=$(cd "$work" && "$PYTHON" - "$work/results.txt" "$ROOT/bench/mutation_equivalent.txt" "$key" <<'PY'
import sys
from collections import Counter
results, equivalent_file, key = sys.argv[1:]
status = {}
for row in open(results, encoding="utf-8"):
    name, _, state = row.strip().rpartition(": ")
    if name:
        status[name] = state
reasons = {}
try:
    for row in open(equivalent_file, encoding="utf-8"):
        if row.strip() and not row.startswith("#"):
            name, _, reason = row.strip().partition(" ")
            reasons[name] = reason.strip()
except FileNotFoundError:
    pass
counts = Counter(status.values())
total = len(status)
killed = counts["killed"] + counts["timeout"] + counts["caught by type check"]
survivors = sorted(name for name, state in status.items() if state not in
                   ("killed", "timeout", "caught by type check"))
equivalent = [name for name in survivors if name in reasons]
import subprocess
for name in survivors:
    note = f"equivalent: {reasons[name]}" if name in reasons else "NOT KILLED"
    print(f"   {status[name]:>9}  {name}  ({note})", file=sys.stderr)
    if name not in reasons:  # show the change, to kill it or explain it
        shown = subprocess.run([sys.executable, "-m", "mutmut", "show", name],
                               capture_output=True, text=True).stdout
        for change in shown.splitlines():
            if change[:2] in ("- ", "+ "):
                print(f"              {change.strip()}", file=sys.stderr)
share = 100.0 * killed / total if total else 0.0
real = total - len(equivalent)
share_real = 100.0 * killed / real if real else 100.0
print(f"{key:<17} {killed:>4}/{total:<4} killed = {share:5.1f} %   "
      f"{len(equivalent):>3} equivalent -> {share_real:5.1f} % of the others   "
      f"({', '.join(f'{n} {s}' for s, n in sorted(counts.items()))})")
PY
)
    echo "   $line ($(( $(date +%s) - start )) s)"
    summary+=("$line")
done <<< "$MODULES"

echo
echo "Mutants killed per module (mutmut $("$PYTHON" -m mutmut --version | awk '{print $NF}'), $JOBS test processes)"
printf '%s\n' "${summary[@]}"
