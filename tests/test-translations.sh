#!/bin/bash
# test-translations.sh — every string users see is translated to Indonesian
#
# Extracts the strings from the sources listed in po/POTFILES.in afresh and
# merges them into po/id.po: a new string without a translation fails here.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

cd "$SD_SOURCE_DIR"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

msgfmt --check --output-file=/dev/null po/id.po

xgettext --from-code=UTF-8 --add-comments=Translators --keyword=_ --keyword=N_ \
  --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 --keyword=ngettext:1,2 \
  --files-from=po/POTFILES.in --directory=. --output="$work/socialdesk.pot" 2>"$work/xgettext.log" \
  || { cat "$work/xgettext.log"; exit 1; }

msgmerge --quiet --no-fuzzy-matching "po/id.po" "$work/socialdesk.pot" --output-file="$work/id.po"
stats=$(msgfmt --statistics --output-file=/dev/null "$work/id.po" 2>&1)
echo "po/id.po against the current sources: $stats"

# Into a file first: with pipefail, grep -q closing the pipe early made
# msgattrib die of SIGPIPE and the check pass when it should fail.
msgattrib --untranslated --no-obsolete "$work/id.po" > "$work/untranslated.po"
msgattrib --only-fuzzy --no-obsolete "po/id.po" > "$work/fuzzy.po"
if grep -q '^msgid' "$work/untranslated.po"; then
  echo "FAIL: untranslated strings:"
  msgattrib --untranslated --no-obsolete "$work/id.po" | grep -A1 '^msgid' | grep -v '^--'
  exit 1
fi
if grep -q '^msgid' "$work/fuzzy.po"; then
  echo "FAIL: fuzzy strings in po/id.po"
  exit 1
fi
echo "ok: every string is translated"
