#!/usr/bin/env bash
# SRTP crypto per packet (1,200-byte RTP packet, new IV each time, contexts reused), the same work
# three ways (decision 0014): SrtpCryptoBenchmark (our JAVA path and the JDK's JCE ciphers) on
# JDK 17 and on a newer JDK, and OpenSSL's libcrypto through the FFM API (bench/openssl, JDK 22+,
# kept out of the Java 17 build). Writes docs/benchmarks/jmh-crypto-{jdk17,jdk25,openssl}.json.
# Extra arguments go to every JMH run (e.g. -wi 3 -i 5 -w 1 -r 2). Not part of the test suite.
#   NEW_JDK      JDK 22+ home (default /usr/lib/jvm/temurin-25-jdk-amd64)
#   BENCH_JAR    an already built bench/target/benchmarks.jar (skips the Maven build)
set -euo pipefail
cd "$(dirname "$0")/.."
NEW_JDK=${NEW_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAR=${BENCH_JAR:-}
if [[ -z "$JAR" ]]; then
  mvn -B -ntp -q -pl bench -am package -DskipTests
  JAR=bench/target/benchmarks.jar
fi
out=docs/benchmarks
mkdir -p "$out"

java -jar "$JAR" SrtpCryptoBenchmark -prof gc -rf json -rff "$out/jmh-crypto-jdk17.json" "$@"
"$NEW_JDK/bin/java" -jar "$JAR" SrtpCryptoBenchmark -prof gc -rf json -rff "$out/jmh-crypto-jdk25.json" "$@"

# The FFM benchmark: compiled with the new JDK's javac and the JMH jars from the local repository.
m2=${M2_REPO:-$HOME/.m2/repository}
cp="$m2/org/openjdk/jmh/jmh-core/1.37/jmh-core-1.37.jar:$m2/net/sf/jopt-simple/jopt-simple/5.0.4/jopt-simple-5.0.4.jar:$m2/org/apache/commons/commons-math3/3.6.1/commons-math3-3.6.1.jar"
apt="$m2/org/openjdk/jmh/jmh-generator-annprocess/1.37/jmh-generator-annprocess-1.37.jar"
classes=bench/openssl/target/classes
rm -rf "$classes" && mkdir -p "$classes"
"$NEW_JDK/bin/javac" -d "$classes" -cp "$cp" -processorpath "$apt:$cp" \
  $(find bench/openssl/src -name '*.java')
"$NEW_JDK/bin/java" --enable-native-access=ALL-UNNAMED -cp "$classes:$cp" org.openjdk.jmh.Main \
  OpensslSrtpBenchmark -prof gc -rf json -rff "$out/jmh-crypto-openssl.json" "$@"
