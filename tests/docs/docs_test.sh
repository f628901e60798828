#!/usr/bin/env bash
# The manual page and the completions against the parser, as a user meets them.
#
#   docs_test.sh cover LYNCUPDATE DOC_DIR      every subcommand, option and positional that
#                                              `--help` lists is in lyncupdate.1 (in its
#                                              command's section), in the bash completion (as
#                                              completed after `lyncupdate COMMAND -`) and in
#                                              the zsh completion (in its command's case)
#   docs_test.sh complete LYNCUPDATE DOC_DIR   the bash completion completes what a user types
#
# `--help` is CLI11's own rendering of the definitions, independent of `_generate`'s walk: an
# option added to the parser and missed by the walk fails here.
set -euo pipefail

mode=$1
lyncupdate=$2
doc_dir=$(cd "$3" && pwd)
failures=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# The words bash completion offers for the command line "$@" (the last word is being typed).
complete_words() {
  bash --norc --noprofile -c '
    source "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
    _lyncupdate
    printf "%s\n" "${COMPREPLY[@]}"' completion "$doc_dir/lyncupdate.bash" "$@" | LC_ALL=C sort
}

# `--help`'s sections: "Subcommands:", "Options:", "Positionals:"; prints the first word of
# each entry of section $1 in the help text on standard input.
help_entries() {
  awk -v section="$1:" '
    /^[A-Z][a-z]+:$/ { inside = ($0 == section); next }
    inside && /^  [^ ]/ { print $1 }'
}

# The roff text of the manual's section for command $1 (from `.SS $1` to the next heading).
man_section() {
  awk -v heading=".SS $1" '
    $0 == heading { inside = 1; next }
    inside && /^\.S[SH]/ { exit }
    inside { print }' "$doc_dir/lyncupdate.1"
}

zsh_case() {
  awk -v label="    $1)" '
    $0 == label { inside = 1; next }
    inside && /^      ;;$/ { exit }
    inside { print }' "$doc_dir/_lyncupdate"
}

roff_name() { sed 's/-/\\-/g' <<<"$1"; }

cover() {
  local commands command names name option options positional section offered zsh_text
  commands=$("$lyncupdate" --help | help_entries Subcommands)
  [[ -n $commands ]] || fail "lyncupdate --help lists no subcommand"
  offered=$(complete_words lyncupdate '')
  for option in $("$lyncupdate" --help | help_entries Options | tr ',' '\n'); do
    grep -qF "\\fB$(roff_name "$option")\\fR" "$doc_dir/lyncupdate.1" ||
      fail "lyncupdate.1: no global option $option"
    grep -qx -- "$option" <<<"$offered" || fail "bash: 'lyncupdate $option' is not completed"
  done
  for command in $commands; do
    grep -qx -- "$command" <<<"$offered" || fail "bash: 'lyncupdate $command' is not completed"
    grep -qF -- "'$command:" "$doc_dir/_lyncupdate" || fail "zsh: no command $command"
    section=$(man_section "$command")
    [[ -n $section ]] || fail "lyncupdate.1: no section .SS $command"
    options=$(complete_words lyncupdate "$command" -)
    zsh_text=$(zsh_case "$command")
    for option in $("$lyncupdate" "$command" --help | help_entries Options | tr ',' '\n'); do
      option=${option%%\{*}  # a negated flag is listed as --order-only{false}
      grep -qx -- "$option" <<<"$options" ||
        fail "bash: 'lyncupdate $command $option' is not completed"
      [[ $option == -h || $option == --help ]] && continue  # said once for every command
      grep -qF -- "\\fB$(roff_name "$option")\\fR" <<<"$section" ||
        fail "lyncupdate.1: $command has no option $option"
      grep -qF -- "$option" <<<"$zsh_text" || fail "zsh: $command has no option $option"
    done
    for positional in $("$lyncupdate" "$command" --help | help_entries Positionals); do
      grep -qF -- "\\fI$positional\\fR" <<<"$section" ||
        fail "lyncupdate.1: $command has no argument $positional"
    done
  done
  # Nothing more either: a hidden command (`_generate`) is neither documented nor offered.
  for command in $(sed -n 's/^\.SS //p' "$doc_dir/lyncupdate.1"); do
    grep -qx -- "$command" <<<"$commands" || fail "lyncupdate.1 documents $command, --help does not"
  done
  for command in $(complete_words lyncupdate ''); do
    [[ $command == -* ]] || grep -qx -- "$command" <<<"$commands" ||
      fail "bash completes 'lyncupdate $command', --help does not list it"
  done
  echo "checked $(wc -w <<<"$commands") commands against --help"
}

# expect WORDS... -- EXPECTED...: completing WORDS offers exactly EXPECTED (sorted).
expect() {
  local -a words=() wanted=()
  while [[ $1 != -- ]]; do words+=("$1"); shift; done
  shift
  wanted=("$@")
  local got
  got=$(complete_words "${words[@]}" | paste -sd ' ')
  if [[ $got != "${wanted[*]}" ]]; then
    fail "completing '${words[*]}': expected '${wanted[*]}', got '$got'"
  fi
}

complete_cases() {
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
  cd "$scratch"  # names completed as files are looked up here
  touch "$scratch/site.json" "$scratch/sites.txt"
  expect lyncupdate si -- simulate
  expect lyncupdate c -- calibrate check
  expect lyncupdate --v -- --version
  expect lyncupdate simulate ent -- enterprise enterprise-rollout
  expect lyncupdate simulate --j -- --json
  expect lyncupdate check --seed 7 --s -- --seed --strict
  expect lyncupdate live contoso --transport '' -- local ssh
  expect lyncupdate live contoso --guard w -- warn
  expect lyncupdate verify --operators '' --
  expect lyncupdate report contoso -o "$scratch/si" -- "$scratch/site.json" "$scratch/sites.txt"
  expect lyncupdate simulate "$scratch/site." -- "$scratch/site.json"
  expect lyncupdate merge "$scratch/site" -- "$scratch/site.json" "$scratch/sites.txt"
  expect lyncupdate export con -- contoso
  expect lyncupdate export s -- site.json sites.txt
}

case $mode in
  cover) cover ;;
  complete) complete_cases ;;
  *) echo "usage: docs_test.sh cover|complete LYNCUPDATE DOC_DIR" >&2; exit 2 ;;
esac
if ((failures > 0)); then
  echo "$failures failures" >&2
  exit 1
fi
echo "passed"
