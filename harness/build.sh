#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# build.sh ARCH FLAVOUR [make args...]
# Configure (fragments merged onto allnoconfig, every requested option
# verified) and build build/linux into build/out-<arch>-<flavour>/.
# BASE=1: the base tree instead, without the series' own options, into
# build/out-<arch>-<flavour>-base/.

. "$(dirname "$0")/lib.sh"

load_arch "${1:-}"
check_flavour "${2:-}"
shift 2 || true
base_tree
out=$(out_dir)

[ -n "${BASE:-}" ] || [ -d "$TREE/.git" ] || "$TOP/harness/tree.sh"

fragments=("$TOP/configs/common.config" "$TOP/configs/$ARCH.config"
	   "$TOP/configs/flavour/$FLAVOUR.config")
if [ -n "${BASE:-}" ]; then
	# The options that the series adds, which the base tree does not have.
	own=$(sed -n 's/^+\(menu\)\{0,1\}config \([A-Z0-9_]*\)$/\2/p' "$PATCHES"/*.patch |
	      sort -u | paste -sd'|')
	mkdir -p "$out/fragments"
	for i in "${!fragments[@]}"; do
		f=$out/fragments/$(basename "${fragments[$i]}")
		grep -vE "^(# )?CONFIG_($own)[= ]" "${fragments[$i]}" >"$f" || true
		fragments[i]=$f
	done
fi
kmake=(make -C "$TREE" O="$out" ARCH="$KARCH" CROSS_COMPILE="$CROSS_COMPILE"
       CC="ccache ${CROSS_COMPILE}gcc" HOSTCC="ccache gcc"
       KBUILD_BUILD_TIMESTAMP="kpkeys" KBUILD_BUILD_USER=kpkeys
       KBUILD_BUILD_HOST=kpkeys -j"$(nproc)")
# Paths relative to the checkout, so that a fresh clone elsewhere (CI)
# hits the cache that an earlier clone filled.
export CCACHE_BASEDIR=$TOP CCACHE_NOHASHDIR=true
mkdir -p "$out"
log=$out/build.log
: >"$log"

stamp=$(cat "${fragments[@]}" | sha1sum | cut -d' ' -f1)
if [ ! -f "$out/.config" ] || [ "$(cat "$out/.fragments" 2>/dev/null)" != "$stamp" ]; then
	(cd "$out" && ARCH=$KARCH CROSS_COMPILE=$CROSS_COMPILE \
		"$TREE/scripts/kconfig/merge_config.sh" -n -O "$out" \
		-m "${fragments[@]}") >>"$log" 2>&1 ||
		die "merging config fragments failed; see $log"
	"${kmake[@]}" KCONFIG_ALLCONFIG="$out/.config" allnoconfig >>"$log" 2>&1 ||
		die "allnoconfig with the merged fragments failed; see $log"
	echo "$stamp" >"$out/.fragments"
fi
"${kmake[@]}" olddefconfig >>"$log" 2>&1 || die "olddefconfig failed; see $log"

# A fragment option that Kconfig silently dropped is an error.
bad=0
for f in "${fragments[@]}"; do
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*) grep -qxF -- "$line" "$out/.config" && continue
			    sym=${line%%=*} ;;
		"# CONFIG_"*" is not set")
			    sym=${line#\# }; sym=${sym%% *}
			    grep -q "^$sym=" "$out/.config" || continue ;;
		*) continue ;;
		esac
		have=$(grep -E "^$sym=|^# $sym is not set" "$out/.config" || echo "$sym undefined")
		echo "config: ${f#"$TOP"/} asks for '$line', final .config has '$have'" >&2
		bad=1
	done <"$f"
done
[ $bad = 0 ] || die "config fragments not honoured for $ARCH/$FLAVOUR (see above)"

start=$(date +%s)
if ! "${kmake[@]}" "${KIMAGE##*/}" modules "$@" >>"$log" 2>&1; then
	grep -E 'error|Error' "$log" | head -n 20 >&2
	echo "build: $ARCH/$FLAVOUR FAILED; full log: $log" >&2
	exit 1
fi
info "build: $ARCH/$FLAVOUR${BASE:+ (base tree)} ok in $(($(date +%s) - start))s -> ${out#"$TOP"/}/$KIMAGE"
