#!/bin/sh
# Regenerates the committed Swift code for Protos/ionlink.proto (Sources/IonLinkRemote/Generated).
# Needs protoc (Debian: protobuf-compiler; without it, the one in the tests' grpcio-tools is used) and the
# two plugins, built once (about 1.5 min here):
#   a scratch package depending on apple/swift-protobuf 1.39.0 and grpc/grpc-swift-protobuf 2.4.1,
#   `swift build -c release --product protoc-gen-swift` and `--product protoc-gen-grpc-swift-2`;
#   PLUGINS names the folder holding both (its .build/release).
# The Python client's code is generated at test time from the same file (grpcio-tools).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
: "${PLUGINS:?set PLUGINS to the folder holding protoc-gen-swift and protoc-gen-grpc-swift-2}"
out="$here/../Sources/IonLinkRemote/Generated"
mkdir -p "$out"
command -v protoc > /dev/null || protoc() { python3 -m grpc_tools.protoc "$@"; }
protoc -I "$here" \
  --plugin=protoc-gen-swift="$PLUGINS/protoc-gen-swift" \
  --plugin=protoc-gen-grpc-swift="$PLUGINS/protoc-gen-grpc-swift-2" \
  --swift_out="$out" --swift_opt=Visibility=Public \
  --grpc-swift_out="$out" --grpc-swift_opt=Visibility=Public \
  "$here/ionlink.proto"
