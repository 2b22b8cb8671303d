// swift-tools-version:6.0
// libFuzzer targets for IonLink's parsers: a package of its own, so that the main build never links
// them. Build and run with `Fuzz/run.sh` (it passes -sanitize=fuzzer and lld).
import PackageDescription

let package = Package(
    name: "IonLinkFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "IonLink", path: "..")],
    targets: [
        .target(name: "FuzzDriver", path: "Sources/FuzzDriver"),
        .executableTarget(name: "FuzzTTTR", dependencies: ["FuzzDriver", .product(name: "IonLinkTags", package: "IonLink")]),
        .executableTarget(name: "FuzzLabConfig", dependencies: [
            "FuzzDriver", .product(name: "IonLink", package: "IonLink"), .product(name: "IonLinkPhysics", package: "IonLink"),
        ]),
        .executableTarget(name: "FuzzUSBTMCHeader", dependencies: ["FuzzDriver", .product(name: "IonLinkDrivers", package: "IonLink")]),
        .executableTarget(name: "FuzzDriverReplies", dependencies: ["FuzzDriver", .product(name: "IonLinkFuzzing", package: "IonLink")]),
        .executableTarget(name: "FuzzNodeRequests", dependencies: ["FuzzDriver", .product(name: "IonLinkFuzzing", package: "IonLink")]),
        .executableTarget(name: "FuzzPcRpc", dependencies: ["FuzzDriver", .product(name: "IonLinkFuzzing", package: "IonLink")]),
    ]
)
