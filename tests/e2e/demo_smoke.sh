#!/usr/bin/env bash
# demo_smoke.sh: scripts/demo end to end without a terminal, as CI runs it:
# a first run makes the demo directory (a city of 500 residents, the
# built binaries, a port the system chooses) and exits 0 without opening
# sesshu, having stopped the register; a second run reuses the directory
# and starts quickly; then, with the demo's register started again, every
# demo user logs in with the documented password (`sesshu sync
# --password-fd`), and a wrong password is refused.
#
# usage: demo_smoke.sh SOURCE_DIR WORK_DIR
# with SESSHU_BIN, SESSHU_REGISTERD_BIN and SESSHU_GENCITY_BIN set (ctest
# sets them to the built targets). Writes only WORK_DIR/demo-smoke.
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: $0 SOURCE_DIR WORK_DIR" >&2; exit 2; }
src=$1
demo=$2/demo-smoke
: "${SESSHU_BIN:?}" "${SESSHU_REGISTERD_BIN:?}" "${SESSHU_GENCITY_BIN:?}"

export SESSHU_DEMO_DIR=$demo SESSHU_DEMO_RESIDENTS=500 SESSHU_DEMO_NO_BUILD=1 \
    SESSHU_DEMO_PORT=0
export SESSHU_BIN SESSHU_REGISTERD_BIN SESSHU_GENCITY_BIN

# The documented demo passwords (README.md, scripts/demo).
declare -A PASSWORD=([admin01]=admin-demo-2026 [clerk01]=clerk-demo-2026
	[verifier01]=verifier-demo-2026 [supervisor01]=supervisor-demo-2026)

failures=0
fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}
expect() {	# expect TEXT OUTPUT WHAT
	grep -qF -- "$1" <<<"$2" || fail "$3: no \"$1\" in the output"
}

reg_pid=
cleanup() {
	if [ -n "$reg_pid" ]; then
		kill -TERM "$reg_pid" 2>/dev/null || true
		wait "$reg_pid" 2>/dev/null || true
	fi
}
trap cleanup EXIT

rm -rf "$demo"

# 1. The first run: sets everything up, opens nothing, stops the register.
t0=$SECONDS
rc=0
out=$("$src/scripts/demo" </dev/null 2>&1) || rc=$?
echo "$out"
echo "--- first run: exit $rc in $((SECONDS - t0)) s"
[ "$rc" -eq 0 ] || fail "the first run exited with $rc"
expect "provisioned workstation ws-001" "$out" "provisioning"
grep -qE '^pulled [0-9]{4,} changes$' <<<"$out" ||
	fail "provisioning did not pull the city"
for user in clerk01 verifier01 supervisor01; do
	expect "first login of $user" "$out" "first login"
done
for user in admin01 clerk01 verifier01 supervisor01; do
	expect "enrolled the right index finger of $user" "$out" "enrollment"
	expect "${PASSWORD[$user]}" "$out" "the login instructions"
done
n=$(grep -c '^scan 5 of 5 recorded$' <<<"$out" || true)
[ "$n" -eq 4 ] || fail "$n enrollments went through all 5 scans, not 4"
expect "pushed 4, acknowledged 4" "$out" "the prints reach the register"
expect "press F8" "$out" "the login instructions"
expect "F8 キー" "$out" "the login instructions in Japanese"
expect "not opening sesshu" "$out" "no terminal"
expect "SESSHU_DEMO_FINGER_KEY=1" "$out" "the command it would run"
[ -f "$demo/demo.env" ] || fail "no $demo/demo.env: the demo directory is not complete"
tail -n 1 "$demo/register.log" | grep -q 'info stopped$' ||
	fail "the register was not stopped: $(tail -n 3 "$demo/register.log")"

# 2. The second run reuses the directory.
t0=$SECONDS
rc=0
out=$("$src/scripts/demo" </dev/null 2>&1) || rc=$?
echo "$out"
echo "--- second run: exit $rc in $((SECONDS - t0)) s"
[ "$rc" -eq 0 ] || fail "the second run exited with $rc"
expect "reusing the demo in $demo" "$out" "the second run"
[ $((SECONDS - t0)) -le 15 ] || fail "the second run took $((SECONDS - t0)) s"
tail -n 1 "$demo/register.log" | grep -q 'info stopped$' ||
	fail "the register was not stopped after the second run"

# 3. The demo users log in, with the register serving again.
port=$(sed -n 's/^PORT=//p' "$demo/demo.env")
log=$demo/smoke-register.log
"$SESSHU_REGISTERD_BIN" serve --data "$demo/register" --listen "127.0.0.1:$port" \
    --cert "$demo/pki/register.crt" --key "$demo/pki/register.key" \
    --ca "$demo/pki/ca.crt" --crl "$demo/pki/crl.pem" >"$log" 2>&1 &
reg_pid=$!
for _ in $(seq 100); do
	grep -q '^listening on port ' "$log" && break
	sleep 0.1
done
grep -q '^listening on port ' "$log" || { cat "$log"; fail "the register did not start"; }
for user in admin01 clerk01 verifier01 supervisor01; do
	rc=0
	out=$("$SESSHU_BIN" sync --state "$demo/ws" --user "$user" --password-fd 3 \
	    3< <(printf '%s\n' "${PASSWORD[$user]}") 2>&1) || rc=$?
	echo "sync as $user: $out"
	[ "$rc" -eq 0 ] || fail "$user cannot log in with the demo password"
	expect "rejected 0" "$out" "$user's sync"
done
rc=0
out=$("$SESSHU_BIN" sync --state "$demo/ws" --user clerk01 --password-fd 3 \
    3< <(printf 'not the password\n') 2>&1) || rc=$?
echo "sync as clerk01 with a wrong password: $out"
[ "$rc" -eq 1 ] || fail "a wrong password gave exit $rc, not 1"

# 4. sesshu enroll's refusals: no reader, an unknown finger, no finger.
# clerk01 has enrolled already: a new enrollment has the register check the
# password again, so it is given twice.
enroll_as_clerk() {	# enroll_as_clerk ENV... -- ARGS...: sets rc and out
	local envs=()
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	rc=0
	out=$(env "${envs[@]}" "$SESSHU_BIN" enroll --state "$demo/ws" \
	    --user clerk01 --password-fd 3 "$@" \
	    3< <(printf '%s\n%s\n' "${PASSWORD[clerk01]}" "${PASSWORD[clerk01]}") \
	    2>&1) || rc=$?
	echo "enroll $*: exit $rc: $out"
}
enroll_as_clerk -u FP_VIRTUAL_DEVICE FP_DRIVERS_WHITELIST=virtual_device -- \
    --driver virtual_device
[ "$rc" -eq 1 ] || fail "enroll without a reader gave exit $rc, not 1"
expect "no fingerprint reader found for driver virtual_device (set FP_VIRTUAL_DEVICE" \
    "$out" "enroll without a reader"
enroll_as_clerk FP_DRIVERS_WHITELIST=virtual_device -- --finger thumb
[ "$rc" -eq 2 ] || fail "enroll --finger thumb gave exit $rc, not 2"
expect 'unknown finger "thumb"' "$out" "enroll --finger thumb"
sockdir=$(mktemp -d /tmp/sesshu-smoke.XXXXXX)
enroll_as_clerk FP_VIRTUAL_DEVICE="$sockdir/vdev.sock" \
    FP_DRIVERS_WHITELIST=virtual_device -- --driver virtual_device --timeout 1
rm -rf "$sockdir"
[ "$rc" -eq 1 ] || fail "enroll with no finger gave exit $rc, not 1"
expect "no complete enrollment in 1 s (0 of 5 scans): stopped; nothing was saved" \
    "$out" "enroll with no finger"

if [ "$failures" -ne 0 ]; then
	echo "demo_smoke: $failures failed" >&2
	exit 1
fi
echo "demo_smoke: all passed"
