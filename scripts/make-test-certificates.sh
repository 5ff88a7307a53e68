#!/usr/bin/env bash
# Makes the certificates of the TLS tests in DIR, with /usr/bin/openssl:
#   ca.pem, ca.key              the test CA
#   other-ca.pem                a CA that signed nothing here (a client trusting it must fail)
#   server.pem, server.key      for 127.0.0.1 and localhost, signed by the CA
#   renewed.pem, renewed.key    the same names, a new key and serial (for rotation)
#   expired.pem, expired.key    for 127.0.0.1 and localhost, expired in 2020
#   client.pem, client.key      a client certificate, CN=billing
#   expired-client.pem, .key    a client certificate, CN=billing, expired in 2020
# Usage: scripts/make-test-certificates.sh DIR
set -euo pipefail
dir=${1:?usage: $0 DIR}
mkdir -p "$dir"
cd "$dir"
openssl=/usr/bin/openssl

key() { "$openssl" genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null; }

authority() {
  key "$1"
  "$openssl" req -x509 -new -key "$1.key" -subj "/CN=$2" -days 30 -out "$1.pem" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
}

cat >ca.cnf <<'CONF'
[ca]
default_ca = test_ca
[test_ca]
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
default_days = 30
policy = any_name
unique_subject = no
[any_name]
commonName = supplied
[server]
basicConstraints = CA:FALSE
subjectAltName = IP:127.0.0.1,DNS:localhost
extendedKeyUsage = serverAuth, clientAuth
[client]
basicConstraints = CA:FALSE
extendedKeyUsage = clientAuth
CONF
: >index.txt
echo 1000 >serial

# sign NAME CN EXTENSIONS [START END]: a certificate signed by the test CA.
sign() {
  key "$1"
  "$openssl" req -new -key "$1.key" -subj "/CN=$2" -out "$1.csr"
  "$openssl" ca -batch -notext -config ca.cnf -cert ca.pem -keyfile ca.key -extensions "$3" -in "$1.csr" \
    -out "$1.pem" ${4:+-startdate "$4" -enddate "$5"} 2>/dev/null
}

authority ca "Goethe Test CA"
authority other-ca "Another CA"
sign server localhost server
sign renewed localhost server
sign expired localhost server 20200101000000Z 20200201000000Z
sign client billing client
sign expired-client billing client 20200101000000Z 20200201000000Z
