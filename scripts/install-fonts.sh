#!/usr/bin/env bash
# Install the open CJK fonts jianbao falls back to when the official faces (仿宋_GB2312, 黑体, 楷体_GB2312,
# 方正小标宋简体, 宋体) are not installed:
#   * Debian packages fonts-arphic-uming, fonts-arphic-ukai, fonts-wqy-zenhei (+ fontconfig);
#   * fonts-liberation2: Liberation Serif has Times New Roman's advances: the PDF sets digits and Latin letters in
#     it (style sheet fonts.latin), and LibreOffice takes it for the DOCX's Times New Roman (not DejaVu Serif,
#     whose digits are 27 % wider), so both break lines as Word does with Times New Roman;
#   * the Fandol OTFs (FandolFang 仿宋, FandolHei 黑体, FandolKai 楷体, FandolSong 宋体 + Bold), taken out of
#     Debian's texlive-lang-chinese package without installing TeX Live.
# Idempotent: every step whose result is already there is skipped. Downloads nothing but Debian packages.
# Fandol goes to /usr/local/share/fonts/fandol as root, else ${XDG_DATA_HOME:-~/.local/share}/fonts/fandol.
# Fandol is GPL-3 with a font exception; the package's copyright file is installed next to the fonts.
set -euo pipefail

PACKAGES=(fonts-arphic-uming fonts-arphic-ukai fonts-wqy-zenhei fonts-liberation2 fontconfig)
FANDOL_FACES=(FandolFang-Regular.otf FandolHei-Regular.otf FandolHei-Bold.otf FandolKai-Regular.otf
              FandolSong-Regular.otf FandolSong-Bold.otf)
FANDOL_IN_DEB=./usr/share/texlive/texmf-dist/fonts/opentype/public/fandol

say() { printf 'install-fonts: %s\n' "$*"; }

# How to run a command as root: directly, through sudo, or not at all.
if [ "$(id -u)" -eq 0 ]; then
    AS_ROOT=()
    CAN_ROOT=1
elif command -v sudo >/dev/null 2>&1; then
    AS_ROOT=(sudo)
    CAN_ROOT=1
else
    AS_ROOT=()
    CAN_ROOT=0
fi

is_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

APT_UPDATED=0
apt_update_once() {
    if [ "$APT_UPDATED" -eq 0 ]; then
        say "apt-get update"
        "${AS_ROOT[@]}" apt-get update
        APT_UPDATED=1
    fi
}

# ---- 1. Debian font packages -----------------------------------------------------------------------------------
missing=()
if command -v dpkg-query >/dev/null 2>&1; then
    for p in "${PACKAGES[@]}"; do
        is_installed "$p" || missing+=("$p")
    done
else
    say "dpkg-query not found: not a Debian system; install the equivalents of: ${PACKAGES[*]}"
fi

if [ "${#missing[@]}" -eq 0 ]; then
    say "Debian font packages already installed: ${PACKAGES[*]}"
elif [ "$CAN_ROOT" -eq 1 ]; then
    apt_update_once
    say "apt-get install ${missing[*]}"
    "${AS_ROOT[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y --no-install-recommends "${missing[@]}"
else
    say "not root and no sudo: please install (as root): apt-get install -y --no-install-recommends ${missing[*]}"
fi

# ---- 2. Fandol OTFs out of texlive-lang-chinese ---------------------------------------------------------------
if [ "$(id -u)" -eq 0 ]; then
    FANDOL_DIR=/usr/local/share/fonts/fandol
else
    FANDOL_DIR="${XDG_DATA_HOME:-$HOME/.local/share}/fonts/fandol"
fi

fandol_complete() {
    local f
    for f in "${FANDOL_FACES[@]}"; do
        [ -s "$FANDOL_DIR/$f" ] || return 1
    done
}

fandol_elsewhere() {
    # Fandol already installed where fontconfig and jianbao look (a system-wide copy, or an earlier user install).
    local d
    for d in /usr/share/fonts /usr/local/share/fonts "${XDG_DATA_HOME:-$HOME/.local/share}/fonts" "$HOME/.fonts"; do
        [ -d "$d" ] || continue
        if [ -n "$(find "$d" -name FandolFang-Regular.otf -size +1k -print -quit 2>/dev/null)" ]; then
            printf '%s\n' "$d"
            return 0
        fi
    done
    return 1
}

if fandol_complete; then
    say "Fandol fonts already in $FANDOL_DIR"
elif where=$(fandol_elsewhere); then
    say "Fandol fonts already installed under $where"
elif ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-deb >/dev/null 2>&1; then
    say "apt-get/dpkg-deb not found: get the Fandol fonts (CTAN fandol) into $FANDOL_DIR yourself"
else
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    # apt-get download runs as the _apt user when it can; let it write into the temp dir.
    if [ "$(id -u)" -eq 0 ] && id _apt >/dev/null 2>&1; then
        chown _apt "$tmp"
    fi
    say "downloading texlive-lang-chinese (Debian package, ~50 MB) to extract the Fandol fonts"
    if ! (cd "$tmp" && apt-get download texlive-lang-chinese); then
        if [ "$CAN_ROOT" -eq 1 ]; then
            apt_update_once
            (cd "$tmp" && apt-get download texlive-lang-chinese)
        else
            say "apt-get download failed and apt-get update needs root: run 'apt-get update' as root and retry"
            exit 1
        fi
    fi
    deb=$(find "$tmp" -maxdepth 1 -name 'texlive-lang-chinese_*.deb' -print -quit)
    mkdir -p "$tmp/x"
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp/x" --wildcards \
        "$FANDOL_IN_DEB/*" './usr/share/doc/texlive-lang-chinese/copyright'
    mkdir -p "$FANDOL_DIR"
    install -m 0644 "$tmp/x/$FANDOL_IN_DEB"/*.otf "$FANDOL_DIR/"
    if [ -f "$tmp/x/usr/share/doc/texlive-lang-chinese/copyright" ]; then
        install -m 0644 "$tmp/x/usr/share/doc/texlive-lang-chinese/copyright" "$FANDOL_DIR/COPYRIGHT.texlive-lang-chinese"
    fi
    fandol_complete || { say "error: the package did not contain every expected Fandol face"; exit 1; }
    say "installed Fandol fonts into $FANDOL_DIR"
    if command -v fc-cache >/dev/null 2>&1; then
        fc-cache -f "$FANDOL_DIR"
    fi
fi

# ---- 3. fontconfig: the official names accept the Fandol faces ---------------------------------------------------
# So that LibreOffice (or any program) opening a jianbao DOCX here sets it in Fandol, as the PDF is, rather than
# in WenQuanYi Zen Hei and DejaVu. Installed official faces still win (the aliases only accept Fandol after them).
CONF_SRC="$(cd "$(dirname "$0")/.." && pwd)/src/jianbao/data/65-jianbao-open-faces.conf"
if [ "$(id -u)" -eq 0 ]; then
    CONF_DIR=/etc/fonts/conf.d
else
    CONF_DIR="${XDG_CONFIG_HOME:-$HOME/.config}/fontconfig/conf.d"
fi
rescan=0
if [ -f "$CONF_SRC" ] && ! cmp -s "$CONF_SRC" "$CONF_DIR/65-jianbao-open-faces.conf"; then
    mkdir -p "$CONF_DIR"
    install -m 0644 "$CONF_SRC" "$CONF_DIR/65-jianbao-open-faces.conf"
    say "installed $CONF_DIR/65-jianbao-open-faces.conf (official font names → Fandol, where they are missing)"
    rescan=1   # its scan-time rules (Fandol Bold's weight) act when the fonts are scanned again
fi

# ---- 4. fontconfig cache for the Fandol dir (only when it is stale) --------------------------------------------
if [ -d "$FANDOL_DIR" ] && command -v fc-cache >/dev/null 2>&1 && command -v fc-list >/dev/null 2>&1; then
    if [ "$rescan" -eq 1 ] || ! fc-list : file | grep -q "^$FANDOL_DIR/"; then
        fc-cache -f "$FANDOL_DIR"
    fi
elif [ "$rescan" -eq 1 ] && command -v fc-cache >/dev/null 2>&1 && where=$(fandol_elsewhere); then
    fc-cache -f "$where"
fi
say "done"
