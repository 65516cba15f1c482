# Sourced by the cluster benchmarks: a throw-away CA and one broker certificate (CN=broker, the default of
# broker.cluster.allowed-peers) for the mutual TLS the brokers' cluster streams need, as shipped.
#   bench_internal_tls DIR   writes DIR/ca.crt, DIR/broker.crt, DIR/broker.key
#   bench_tls_env DIR        prints the broker's BROKER_INTERNAL_TLS_* variables for env(1)
bench_internal_tls() {
  local dir=$1
  mkdir -p "$dir"
  (
    cd "$dir"
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ca.key 2>/dev/null
    openssl req -x509 -new -key ca.key -subj "/CN=bench internal CA" -days 2 -out ca.crt \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out broker.key 2>/dev/null
    openssl req -new -key broker.key -subj "/CN=broker" -out broker.csr 2>/dev/null
    printf '%s\n' "subjectAltName=DNS:localhost,IP:127.0.0.1" "basicConstraints=critical,CA:FALSE" \
      "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth,clientAuth" >broker.ext
    openssl x509 -req -in broker.csr -CA ca.crt -CAkey ca.key -set_serial "0x$(openssl rand -hex 16)" -days 2 \
      -extfile broker.ext -out broker.crt 2>/dev/null
  )
}

bench_tls_env() {
  printf '%s\n' "BROKER_INTERNAL_TLS_CERT=$1/broker.crt" "BROKER_INTERNAL_TLS_KEY=$1/broker.key" \
    "BROKER_INTERNAL_TLS_CA=$1/ca.crt"
}
