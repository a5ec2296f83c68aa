# deps.sh: installs what sesshu needs on Debian 12, idempotently.
# Sourced by scripts/check and scripts/demo. Runs `apt-get update` once, and
# only when a package is missing; generates the ja_JP and en_US UTF-8 locales.
# Both lists are installed by both scripts: the e2e tests run scripts/demo.

SESSHU_PACKAGES="
	build-essential cmake pkg-config git
	libsqlcipher-dev sqlcipher
	libssl-dev openssl ca-certificates
	libglib2.0-dev libjansson-dev libcurl4-openssl-dev libevent-dev
	libncurses-dev libfprint-2-dev
	libcmocka-dev tmux gettext locales procps
"

# What scripts/demo needs besides: socat feeds libfprint's virtual reader
# its unix socket ("SCAN <id>", one command per connection).
SESSHU_DEMO_PACKAGES="
	socat
"

sesshu_as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo "$@"
	else
		echo "error: '$*' needs root, and sudo is not installed" >&2
		return 1
	fi
}

sesshu_install_deps() {
	local missing="" pkg
	for pkg in $SESSHU_PACKAGES $SESSHU_DEMO_PACKAGES; do
		if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null |
		    grep -q "install ok installed"; then
			missing="$missing $pkg"
		fi
	done
	if [ -n "$missing" ]; then
		echo "==> installing:$missing"
		sesshu_as_root apt-get update -q
		sesshu_as_root env DEBIAN_FRONTEND=noninteractive \
		    apt-get install -y -q --no-install-recommends $missing
	fi
	sesshu_ensure_locales
}

sesshu_ensure_locales() {
	local want="" loc
	for loc in ja_JP en_US; do
		if ! locale -a 2>/dev/null | grep -qi "^${loc}\.utf-\?8$"; then
			want="$want $loc"
		fi
	done
	[ -z "$want" ] && return 0
	echo "==> generating locales:$want"
	for loc in $want; do
		if ! grep -q "^${loc}.UTF-8 UTF-8" /etc/locale.gen 2>/dev/null; then
			echo "${loc}.UTF-8 UTF-8" | sesshu_as_root tee -a /etc/locale.gen >/dev/null
		fi
	done
	sesshu_as_root locale-gen
}
