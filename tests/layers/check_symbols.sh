#!/usr/bin/env bash
# layers.symbols_resolve_upward: the layers' object files, read with nm. Every
# symbol a layer's objects use and do not define themselves is defined by a
# layer above it (or by a library outside callwire) — never only by a layer
# below. An include path cannot see a declaration written by hand (an
# `extern` or a copied prototype); the linker would take it from any object
# of libcallwire.a, so this is checked here.
#
#   check_symbols.sh NM LAYER=obj|obj|… LAYER=obj|… …   (the layers from the top down)
set -euo pipefail
nm=$1; shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

layers=()
for arg in "$@"; do
  layer=${arg%%=*}
  IFS='|' read -r -a objects <<<"${arg#*=}"
  layers+=("$layer")
  "$nm" --defined-only -g "${objects[@]}" | awk 'NF == 3 { print $3 }' | sort -u >"$work/defined.$layer"
  "$nm" -u "${objects[@]}" | awk 'NF == 2 && $1 == "U" { print $2 }' | sort -u >"$work/used.$layer"
done

failed=0
for i in "${!layers[@]}"; do
  layer=${layers[$i]}
  : >"$work/above"; : >"$work/below"
  for j in "${!layers[@]}"; do
    if [ "$j" -le "$i" ]; then cat "$work/defined.${layers[$j]}" >>"$work/above"
    else cat "$work/defined.${layers[$j]}" >>"$work/below"; fi
  done
  sort -u -o "$work/above" "$work/above"
  sort -u -o "$work/below" "$work/below"
  comm -23 "$work/used.$layer" "$work/above" | comm -12 - "$work/below" >"$work/wrong.$layer"
  if [ -s "$work/wrong.$layer" ]; then
    failed=1
    echo "the $layer layer uses symbols that only a layer below it defines:"
    sed 's/^/  /' "$work/wrong.$layer" | c++filt
  else
    echo "$layer: $(wc -l <"$work/used.$layer") undefined references in its objects, none resolved only below it"
  fi
done
exit $failed
