// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "depot",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "depot-controller", targets: ["depot-controller"]),
        .executable(name: "depot-bench", targets: ["depot-bench"]),
        .executable(name: "depot-satellite", targets: ["depot-satellite"]),
        .executable(name: "depot", targets: ["depot"]),
        .executable(name: "depot-pki", targets: ["depot-pki"]),
        .library(name: "DepotClient", targets: ["DepotClient"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        .target(name: "DepotModel", swiftSettings: swiftSettings),
        .target(name: "DepotWire", dependencies: ["DepotModel"], swiftSettings: swiftSettings),
        .target(
            name: "DepotLink",
            dependencies: [
                "DepotWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(name: "DepotStore", dependencies: ["DepotModel"], swiftSettings: swiftSettings),
        .target(
            name: "DepotReports", dependencies: ["DepotWire", .product(name: "Logging", package: "swift-log")], swiftSettings: swiftSettings),
        .target(
            name: "DepotPKI",
            dependencies: [
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "depot-pki",
            dependencies: ["DepotPKI", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DepotPKITests",
            dependencies: ["DepotPKI", "DepotLink", .product(name: "NIOSSL", package: "swift-nio-ssl")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DepotSQLite",
            dependencies: ["DepotModel", "DepotStore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DepotPostgres",
            dependencies: [
                "DepotModel", "DepotStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DepotController",
            dependencies: [
                "DepotModel", "DepotWire", "DepotStore", "DepotSQLite", "DepotPostgres", "DepotLink", "DepotReports", "DepotPKI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "HashTreeCollections", package: "swift-collections"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "depot-controller",
            dependencies: [
                "DepotController", "DepotLink",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "depot-satellite",
            dependencies: [
                "DepotSatellite", "DepotLink",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "depot-bench",
            dependencies: [
                "DepotModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DepotSatellite",
            dependencies: [
                "DepotModel", "DepotWire", "DepotLink", "DepotReports",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DepotTestSupport",
            dependencies: ["DepotModel", "DepotStore", "DepotSatellite", "DepotLink"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DepotSatelliteTests",
            dependencies: ["DepotSatellite", "DepotTestSupport"],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DepotClient",
            dependencies: [
                "DepotModel", "DepotWire",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(name: "DepotCLI", dependencies: ["DepotClient", "DepotModel"], swiftSettings: swiftSettings),
        .executableTarget(name: "depot", dependencies: ["DepotCLI"], swiftSettings: swiftSettings),
        .testTarget(name: "DepotClientTests", dependencies: ["DepotClient"], swiftSettings: swiftSettings),
        .testTarget(
            name: "DepotCLITests", dependencies: ["DepotCLI", "DepotClient", "DepotTestSupport"], exclude: ["Fixtures"], swiftSettings: swiftSettings),
        .testTarget(name: "DepotModelTests", dependencies: ["DepotModel", "DepotTestSupport"], exclude: ["Fixtures"], swiftSettings: swiftSettings),
        .testTarget(name: "DepotWireTests", dependencies: ["DepotWire"], swiftSettings: swiftSettings),
        .testTarget(name: "DepotReportsTests", dependencies: ["DepotReports"], swiftSettings: swiftSettings),
        .testTarget(
            name: "DepotLinkTests",
            dependencies: [
                "DepotLink", "DepotWire", "DepotTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "DepotStoreTests", dependencies: ["DepotStore", "DepotTestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "DepotSQLiteTests",
            dependencies: ["DepotSQLite", "DepotStore", "DepotTestSupport", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DepotPostgresTests",
            dependencies: [
                "DepotPostgres", "DepotStore", "DepotModel", "DepotTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DepotControllerTests",
            dependencies: [
                "DepotController", "DepotLink", "DepotPKI", "DepotTestSupport", "DepotReports", "DepotPostgres",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HashTreeCollections", package: "swift-collections"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
