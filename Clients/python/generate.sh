#!/bin/sh
# Regenerates the package's gRPC code (src/ionlink/_proto/ionlink_pb2.py, ionlink_pb2_grpc.py) from
# Protos/ionlink.proto, the file the Swift node is built from (grpcio-tools, Tests/requirements.txt). The proto
# is compiled as ionlink/_proto/ionlink.proto so that the stubs import each other within the package.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/ionlink/_proto"
cp "$here/../../Protos/ionlink.proto" "$scratch/ionlink/_proto/ionlink.proto"
python3 -m grpc_tools.protoc -I "$scratch" --python_out="$here/src" --grpc_python_out="$here/src" "$scratch/ionlink/_proto/ionlink.proto"
