#!/usr/bin/env bash
# The worked example behind `make demo`: a new review project for the reference review
# (patient–professional partnerships in chronic back pain), fed with exports from its five databases
# and from reference lists, deduplicated, then counted and exported. Usage: scripts/demo.sh SYNTHESIST_BIN DEMO_DIR
set -euo pipefail
syn=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
dir=$2
root="$(cd "$(dirname "$0")/.." && pwd)"
exports="$root/tests/data/exports"
export SYNTHESIST_USER="${SYNTHESIST_USER:-demo}"

rm -rf "$dir"
"$syn" init "$dir" --protocol "$root/tests/data/reference_review.toml"
cd "$dir"
"$syn" import "$exports/cochrane_central.ris" --source "Cochrane Library" --searched-on 2014-06-30
"$syn" import "$exports/cinahl_ebsco.ris" --source "CINAHL (EBSCOhost)" --searched-on 2014-06-30
"$syn" import "$exports/medline_ovid.ris" --source "MEDLINE (Ovid)" --searched-on 2014-06-30
"$syn" import "$exports/embase_ovid.ris" --source "EMBASE (Ovid)" --searched-on 2014-06-30
"$syn" import "$exports/psycinfo_ovid.ris" --source "PsycINFO (Ovid)" --searched-on 2014-06-30
"$syn" import "$exports/zotero.bib" --other-method "reference lists"
"$syn" dedup run
"$syn" dedup groups
"$syn" status
"$syn" export --format csv -o records.csv
"$syn" export --format ris -o records.ris
"$syn" export --deduplicated --format ris -o for-screening.ris
"$syn" log
echo
echo "The worked example is in $(pwd): review.toml, review.db, records.csv, records.ris, for-screening.ris."
