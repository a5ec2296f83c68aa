#!/usr/bin/env bash
#
# make-pki.sh: the demo and test PKI of sesshu (docs/PROTOCOL.md, "Transport").
#
# usage: make-pki.sh [--force] OUTDIR MUNICIPALITY [REGISTER_HOST]
#
# Creates in OUTDIR, with EC P-256 keys (mode 0600):
#   ca.crt ca.key                 the municipal CA, CN "sesshu demo municipal CA <code>"
#   register.crt register.key     the register: EKU serverAuth, SAN DNS:localhost,
#                                 IP:127.0.0.1, IP:::1 and REGISTER_HOST if given
#   ws-001 ws-002 ws-003          workstations: CN=ws-00N, OU=<code>, EKU clientAuth
#   expired                       a workstation certificate valid only in 2020
#   revoked + crl.pem             a workstation certificate that crl.pem revokes
#   wrong-mun                     a workstation of another municipality (OU=011002)
#   server-as-client              a certificate with EKU serverAuth only
#   other-ca.crt other-ca.key     a second, unrelated CA, and from it:
#   other-ca-ws                   a workstation certificate (CN=ws-001 too)
#   other-ca-register             a register certificate with the same SANs
#                                 (an impostor register that clients must refuse)
# (each NAME above as NAME.crt and NAME.key), plus ca.cnf and ca-db/, the
# `openssl ca` configuration and databases that issued them.
#
# It is a recipe for demonstrations and tests only: the CA key lies next to
# the certificates, unencrypted. assets/pki/README.md says how a
# municipality does the same with its real CA.
#
# Must never: overwrite an existing CA (OUTDIR/ca.key) without --force, or
# leave a private key readable by others. Needs bash and the openssl
# command (or $OPENSSL) only.

set -euo pipefail
umask 077

OPENSSL=${OPENSSL:-openssl}
prog=${0##*/}

die() {
	echo "$prog: $*" >&2
	exit 1
}

usage() {
	echo "usage: $prog [--force] OUTDIR MUNICIPALITY [REGISTER_HOST]" >&2
	exit 2
}

force=0
args=()
for a in "$@"; do
	case $a in
	--force) force=1 ;;
	-h|--help) usage ;;
	-*) echo "$prog: unknown option $a" >&2; usage ;;
	*) args+=("$a") ;;
	esac
done
[ ${#args[@]} -ge 2 ] && [ ${#args[@]} -le 3 ] || usage
outdir=${args[0]}
muni=${args[1]}
host=${args[2]:-}

# A municipality code: six digits, the last a check digit (JIS X 0402).
check_digit() {
	local d=$1
	local s=$(( 6 * ${d:0:1} + 5 * ${d:1:1} + 4 * ${d:2:1} + 3 * ${d:3:1} + 2 * ${d:4:1} ))
	echo $(( (11 - s % 11) % 10 ))
}
[[ $muni =~ ^[0-9]{6}$ ]] || die "municipality $muni: expected six digits"
[ "$(check_digit "$muni")" = "${muni:5:1}" ] ||
	die "municipality $muni: check digit is ${muni:5:1}, expected $(check_digit "$muni")"

# The other municipality of wrong-mun: 011002, or 012025 if that is ours.
other_muni=011002
[ "$muni" = "$other_muni" ] && other_muni=012025

san_host=
if [ -n "$host" ]; then
	if [[ $host =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ || $host =~ ^[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*$ ]]; then
		san_host="IP.3 = $host"
	elif [[ $host =~ ^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$ ]]; then
		san_host="DNS.2 = $host"
	else
		die "register host $host: not a host name or IP address"
	fi
fi

command -v "$OPENSSL" >/dev/null 2>&1 || die "$OPENSSL: not found"
mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)
if [ -e "$outdir/ca.key" ] && [ $force -ne 1 ]; then
	die "$outdir/ca.key exists: refusing to replace a CA (use --force)"
fi
rm -rf "$outdir/ca-db"

# openssl's own messages go to a log; shown only when a step fails.
log=$outdir/make-pki.log
: >"$log"
ossl() {
	if ! "$OPENSSL" "$@" >>"$log" 2>&1; then
		cat "$log" >&2
		die "openssl $1 failed"
	fi
}

newkey() {
	ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
	    -out "$outdir/$1.key"
	chmod 600 "$outdir/$1.key"
}

# One `openssl ca` configuration per CA, in ca.cnf: sections by CA name.
cat >"$outdir/ca.cnf" <<EOF
# Written by make-pki.sh: the demo CAs for \`openssl ca\`.
[ ca ]
default_ca = municipal

[ municipal ]
dir = $outdir/ca-db/municipal
certificate = $outdir/ca.crt
private_key = $outdir/ca.key
database = \$dir/index.txt
new_certs_dir = \$dir/newcerts
serial = \$dir/serial
crlnumber = \$dir/crlnumber
default_md = sha256
default_days = 825
default_crl_days = 365
policy = policy_any
preserve = yes
unique_subject = no
copy_extensions = none
email_in_dn = no
crl_extensions = crl_ext

[ other ]
dir = $outdir/ca-db/other
certificate = $outdir/other-ca.crt
private_key = $outdir/other-ca.key
database = \$dir/index.txt
new_certs_dir = \$dir/newcerts
serial = \$dir/serial
crlnumber = \$dir/crlnumber
default_md = sha256
default_days = 825
default_crl_days = 365
policy = policy_any
preserve = yes
unique_subject = no
copy_extensions = none
email_in_dn = no
crl_extensions = crl_ext

[ policy_any ]
organizationName = optional
organizationalUnitName = optional
commonName = supplied

[ ca_ext ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[ crl_ext ]
authorityKeyIdentifier = keyid:always

[ register_ext ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = @register_san

[ register_san ]
DNS.1 = localhost
IP.1 = 127.0.0.1
IP.2 = ::1
$san_host

[ client_ext ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[ server_only_ext ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF

# make_ca NAME FILE SUBJECT: a self-signed CA and its `openssl ca` database.
make_ca() {
	local name=$1 file=$2 subject=$3 db=$outdir/ca-db/$1
	mkdir -p "$db/newcerts"
	: >"$db/index.txt"
	echo 1000 >"$db/serial"
	echo 1000 >"$db/crlnumber"
	newkey "$file"
	ossl req -new -x509 -config "$outdir/ca.cnf" -extensions ca_ext \
	    -key "$outdir/$file.key" -out "$outdir/$file.crt" -days 3650 \
	    -sha256 -subj "$subject"
}

# issue CA NAME SUBJECT EXTENSIONS [openssl ca options...]
issue() {
	local ca=$1 name=$2 subject=$3 ext=$4
	shift 4
	newkey "$name"
	ossl req -new -key "$outdir/$name.key" -out "$outdir/$name.csr" \
	    -subj "$subject"
	ossl ca -batch -config "$outdir/ca.cnf" -name "$ca" -extensions "$ext" \
	    -notext -in "$outdir/$name.csr" -out "$outdir/$name.crt" "$@"
	rm -f "$outdir/$name.csr"
}

make_ca municipal ca "/O=sesshu demo/OU=$muni/CN=sesshu demo municipal CA $muni"
issue municipal register "/O=sesshu demo/OU=$muni/CN=sesshu-registerd $muni" register_ext
for n in 001 002 003; do
	issue municipal "ws-$n" "/OU=$muni/CN=ws-$n" client_ext
done
issue municipal expired "/OU=$muni/CN=ws-expired" client_ext \
    -startdate 20200101000000Z -enddate 20201231235959Z
issue municipal revoked "/OU=$muni/CN=ws-revoked" client_ext
ossl ca -batch -config "$outdir/ca.cnf" -name municipal \
    -revoke "$outdir/revoked.crt" -crl_reason keyCompromise
ossl ca -batch -config "$outdir/ca.cnf" -name municipal -gencrl \
    -out "$outdir/crl.pem"
issue municipal wrong-mun "/OU=$other_muni/CN=ws-004" client_ext
issue municipal server-as-client "/OU=$muni/CN=server-as-client" server_only_ext

make_ca other other-ca "/O=sesshu demo/CN=sesshu demo unrelated CA"
issue other other-ca-ws "/OU=$muni/CN=ws-001" client_ext
issue other other-ca-register "/O=sesshu demo/OU=$muni/CN=sesshu-registerd $muni" register_ext

chmod 600 "$outdir"/*.key
chmod 644 "$outdir"/*.crt "$outdir/crl.pem"
rm -f "$log"
echo "$prog: demo PKI for municipality $muni in $outdir"
