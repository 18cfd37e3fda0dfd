#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# hyp/mm's floors hold (doc/mm.md, "Floors"): a file calls only functions of
# its own floor or lower ones. The floors are read from doc/mm.md's table, the
# calls from the objects' symbol tables (nm: what each object defines and what
# it needs), so neither the doc nor the code can drift without this failing.
# TAP: one line per hyp/mm/s2_*.o. Needs the objects of one build (default
# the host simulation's, build/sim/obj/hyp/mm; argument: another directory).
set -u
cd "$(dirname "$0")/.." || exit 2
OBJ=${1:-build/sim/obj/hyp/mm}
ls "$OBJ"/s2_*.o >/dev/null 2>&1 || { echo "not ok 1 - no objects in $OBJ (build ARCH=sim first)"; exit 1; }

declare -A floor def
# "| 2 changing entries | `s2_bbm`, `s2_map`, ... |" -> floor[s2_bbm]=2
while IFS= read -r line; do
	n=$(sed -n 's/^| \([0-9]\) [^|]*| \(.*\) |$/\1/p' <<<"$line")
	[ -n "$n" ] || continue
	for f in $(grep -o '`s2_[a-z_]*`' <<<"$line" | tr -d '`'); do
		floor[$f]=$n
	done
done < <(sed -n '/^Floors (who may call whom/,/^$/p;/^| floor | files |/,/^$/p' doc/mm.md)
[ ${#floor[@]} -gt 0 ] || { echo "not ok 1 - no floor table in doc/mm.md"; exit 1; }

for o in "$OBJ"/s2_*.o; do
	b=$(basename "$o" .o)
	for s in $(nm --defined-only "$o" | awk '$2 ~ /^[TDBR]$/ { print $3 }'); do
		def[$s]=$b
	done
done

n=0 bad=0
for o in "$OBJ"/s2_*.o; do
	b=$(basename "$o" .o)
	n=$((n + 1))
	if [ -z "${floor[$b]:-}" ]; then
		echo "not ok $n - $b: not in doc/mm.md's floor table"
		bad=$((bad + 1))
		continue
	fi
	up=""
	for s in $(nm --undefined-only "$o" | awk '{ print $NF }'); do
		d=${def[$s]:-}
		[ -n "$d" ] && [ "$d" != "$b" ] || continue
		fd=${floor[$d]:-}
		[ -n "$fd" ] && [ "$fd" -gt "${floor[$b]}" ] && up+=" $s ($d, floor $fd)"
	done
	if [ -n "$up" ]; then
		echo "not ok $n - $b (floor ${floor[$b]}) calls up:$up"
		bad=$((bad + 1))
	else
		echo "ok $n - $b (floor ${floor[$b]})"
	fi
done
echo "1..$n"
[ $bad -eq 0 ]
