// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "IonLink",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "IonLink", targets: ["IonLink"]),
        .library(name: "IonLinkPhysics", targets: ["IonLinkPhysics"]),
        .library(name: "IonLinkSimulation", targets: ["IonLinkSimulation"]),
        .library(name: "IonLinkSequencer", targets: ["IonLinkSequencer"]),
        .library(name: "IonLinkTags", targets: ["IonLinkTags"]),
        .library(name: "IonLinkDrivers", targets: ["IonLinkDrivers"]),
        .library(name: "IonLinkAssembly", targets: ["IonLinkAssembly"]),
        .library(name: "IonLinkMocks", targets: ["IonLinkMocks"]),
        .library(name: "IonLinkRecords", targets: ["IonLinkRecords"]),
        .library(name: "IonLinkReport", targets: ["IonLinkReport"]),
        .library(name: "IonLinkFuzzing", targets: ["IonLinkFuzzing"]),
        .library(name: "IonLinkNetwork", targets: ["IonLinkNetwork"]),
        .library(name: "IonLinkRemote", targets: ["IonLinkRemote"]),
        .library(name: "IonLinkDashboard", targets: ["IonLinkDashboard"]),
        .library(name: "IonLinkController", targets: ["IonLinkController"]),
        .executable(name: "ionlink", targets: ["ionlink"]),
        .executable(name: "ionlink-bench", targets: ["ionlink-bench"]),
    ],
    // Networking: `ionlink serve`, the node dashboard and distributed runs (gRPC, NIO, BoringSSL, Hummingbird).
    // Off by default, so that `swift run -c release ionlink run` builds only what a simulated run needs; the
    // test command builds with it (`--traits Networking`). The libraries themselves are always there.
    traits: [
        .trait(name: "Networking", description: "ionlink serve, the node dashboard and distributed runs over gRPC"),
        .default(enabledTraits: []),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport", from: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        // Already in the graph through gRPC; named for NIOCore's IdleStateHandler on a node's connections.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        .target(
            name: "IonLink",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            resources: [.copy("Resources/default-lab.yaml")]
        ),
        .target(
            name: "IonLinkPhysics",
            dependencies: [
                "IonLink",
                .product(name: "Numerics", package: "swift-numerics"),
            ]
        ),
        .target(name: "IonLinkSimulation", dependencies: ["IonLink", "IonLinkPhysics"]),
        .target(name: "IonLinkTags", dependencies: ["IonLink"]),
        .target(name: "IonLinkNetwork", dependencies: ["IonLink", "IonLinkSimulation"]),
        // Serving a node's devices and runs over gRPC, and remote devices that speak to such a node.
        .target(
            name: "IonLinkRemote",
            dependencies: [
                "IonLink", "IonLinkPhysics", "IonLinkSequencer", "IonLinkAssembly",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "IonLinkSequencer",
            dependencies: ["IonLink", "IonLinkPhysics", "IonLinkTags", .product(name: "Logging", package: "swift-log")]
        ),
        .systemLibrary(name: "CLibSerialPort", path: "Sources/CLibSerialPort", pkgConfig: "libserialport",
                       providers: [.apt(["libserialport-dev"])]),
        .systemLibrary(name: "CUMockdev", path: "Sources/CUMockdev", pkgConfig: "umockdev-1.0",
                       providers: [.apt(["libumockdev-dev"])]),
        .systemLibrary(name: "CLibUSB", path: "Sources/CLibUSB", pkgConfig: "libusb-1.0",
                       providers: [.apt(["libusb-1.0-0-dev"])]),
        .systemLibrary(name: "CHDF5", path: "Sources/CHDF5", pkgConfig: "hdf5", providers: [.apt(["libhdf5-dev"])]),
        .target(name: "IonLinkRecords", dependencies: ["IonLink", "IonLinkSequencer", "CHDF5"]),
        .target(name: "IonLinkReport", dependencies: ["IonLink", "IonLinkPhysics", "IonLinkSequencer", "IonLinkRecords", "IonLinkTags"]),
        .target(
            name: "IonLinkDrivers",
            dependencies: ["IonLink", "CLibSerialPort", "CLibUSB", .product(name: "Logging", package: "swift-log")],
            path: "Drivers"),
        .target(name: "IonLinkMocks", dependencies: ["IonLink", "IonLinkPhysics", "IonLinkSimulation", "CUMockdev"], path: "Mocks"),
        // The composition root: the instrument catalog (each model registered once) and the lab builder.
        .target(
            name: "IonLinkAssembly",
            dependencies: ["IonLink", "IonLinkPhysics", "IonLinkSimulation", "IonLinkSequencer", "IonLinkTags", "IonLinkDrivers", "IonLinkMocks",
                           .product(name: "Logging", package: "swift-log")]),
        // Fuzzing harnesses: the reply fuzzer over every catalog model, and its scripted instrument (used by Fuzz/ and the tests).
        .target(
            name: "IonLinkFuzzing",
            dependencies: ["IonLink", "IonLinkPhysics", "IonLinkDrivers", "IonLinkAssembly", "IonLinkRemote", "IonLinkController",
                           .product(name: "GRPCCore", package: "grpc-swift-2"),
                           .product(name: "GRPCInProcessTransport", package: "grpc-swift-2"),
                           .product(name: "Logging", package: "swift-log")]),
        .executableTarget(
            name: "ionlink",
            dependencies: [
                "IonLink", "IonLinkPhysics", "IonLinkSimulation", "IonLinkSequencer", "IonLinkDrivers", "IonLinkMocks", "IonLinkTags",
                "IonLinkAssembly", "IonLinkRecords", "IonLinkReport", "IonLinkNetwork",
                .target(name: "IonLinkRemote", condition: .when(traits: ["Networking"])),
                .target(name: "IonLinkDashboard", condition: .when(traits: ["Networking"])),
                .target(name: "IonLinkController", condition: .when(traits: ["Networking"])),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "ionlink-bench",
            dependencies: ["IonLink", "IonLinkPhysics", "IonLinkSimulation", "IonLinkSequencer", "IonLinkDrivers", "IonLinkMocks",
                           "IonLinkTags", "IonLinkRecords", .product(name: "Logging", package: "swift-log"),
                           .product(name: "Histogram", package: "hdrhistogram-swift")],
            path: "Sources/ionlink-bench"
        ),
        .testTarget(name: "IonLinkTests", dependencies: ["IonLink"]),
        .testTarget(name: "IonLinkPhysicsTests", dependencies: ["IonLink", "IonLinkPhysics"]),
        .testTarget(name: "IonLinkTagsTests", dependencies: ["IonLink", "IonLinkTags"]),
        .testTarget(
            name: "IonLinkSimulationTests",
            dependencies: ["IonLink", "IonLinkPhysics", "IonLinkSimulation"]
        ),
        .testTarget(name: "IonLinkNetworkTests", dependencies: ["IonLink", "IonLinkNetwork"]),
        // A node's live dashboard page over HTTP.
        .target(
            name: "IonLinkDashboard",
            dependencies: ["IonLinkRemote", .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "Logging", package: "swift-log")]),
        // ARTIQ controllers: the lab's roles as sipyco pc_rpc targets (a line-framed JSON protocol over TCP, on NIO).
        .target(
            name: "IonLinkController",
            dependencies: ["IonLink", "IonLinkAssembly", .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "NIOPosix", package: "swift-nio"), .product(name: "Logging", package: "swift-log")]),
        .testTarget(
            name: "IonLinkControllerTests",
            dependencies: ["IonLink", "IonLinkPhysics", "IonLinkSimulation", "IonLinkAssembly", "IonLinkController", "IonLinkFuzzing",
                           .product(name: "Logging", package: "swift-log")]),
        .testTarget(
            name: "IonLinkRemoteTests",
            dependencies: ["IonLink", "IonLinkPhysics", "IonLinkSimulation", "IonLinkSequencer", "IonLinkRemote", "IonLinkAssembly", "IonLinkFuzzing",
                           .product(name: "GRPCCore", package: "grpc-swift-2"),
                           .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                           .product(name: "Logging", package: "swift-log")]),
        .testTarget(
            name: "IonLinkSequencerTests",
            dependencies: ["IonLink", "IonLinkPhysics", "IonLinkSimulation", "IonLinkSequencer", "IonLinkTags"]
        ),
        .testTarget(
            name: "IonLinkMocksTests",
            dependencies: ["IonLink", "IonLinkDrivers", "IonLinkMocks", .product(name: "Logging", package: "swift-log")]),
        .testTarget(
            name: "IonLinkDriversTests",
            dependencies: ["IonLink", "IonLinkPhysics", "IonLinkDrivers", "IonLinkMocks", "IonLinkFuzzing", "IonLinkAssembly",
                           .product(name: "Logging", package: "swift-log")]),
        .testTarget(
            name: "ionlinkTests",
            dependencies: ["ionlink", "IonLink", "IonLinkSequencer", "IonLinkSimulation", "IonLinkDrivers", "IonLinkMocks", "IonLinkAssembly",
                           "IonLinkTags", "IonLinkRecords", "IonLinkReport"],
            exclude: ["Fixtures"]),
    ]
)
