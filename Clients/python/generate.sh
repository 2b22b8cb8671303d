#!/bin/sh
# Regenerates ionlink_pb2.py and ionlink_pb2_grpc.py from Protos/ionlink.proto (grpcio-tools, Tests/requirements.txt).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
python3 -m grpc_tools.protoc -I "$here/../../Protos" --python_out="$here" --grpc_python_out="$here" "$here/../../Protos/ionlink.proto"
