#!/usr/bin/env bash
# Builds the optional OpenSSL AES-GCM library for SRTP (decision 0016) into the module's classes,
# where OpensslGcm finds it at run time. Without a C compiler, OpenSSL's headers or Linux x86-64
# it builds nothing and says so: the node then seals AES-GCM with the JDK's cipher.
# Arguments: <JDK home> <output directory>
set -euo pipefail
jdk="$1"
out="$2/native/linux-x86_64"
src="$(dirname "$0")/openssl_gcm.c"
skip() { echo "[native] OpenSSL AES-GCM not built ($1); AES-GCM runs on the JDK's cipher"; exit 0; }
[[ "$(uname -s)-$(uname -m)" == "Linux-x86_64" ]] || skip "not Linux x86-64"
command -v cc >/dev/null || skip "no C compiler (apt-get install gcc)"
[[ -f /usr/include/openssl/evp.h ]] || skip "no OpenSSL headers (apt-get install libssl-dev)"
[[ -f "$jdk/include/jni.h" ]] || skip "no jni.h under $jdk"
mkdir -p "$out"
if [[ "$out/libsfu-openssl-gcm.so" -nt "$src" ]]; then
  exit 0
fi
cc -O2 -fPIC -shared -Wall -Werror -fstack-protector-strong -D_FORTIFY_SOURCE=2 \
  -I"$jdk/include" -I"$jdk/include/linux" -o "$out/libsfu-openssl-gcm.so" "$src" -lcrypto
echo "[native] built $out/libsfu-openssl-gcm.so"
