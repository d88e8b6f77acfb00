// swift-tools-version:6.0
// Ibrat Lead Calling System. No Swift package dependencies by design (product owner's rule):
// only the toolchain and Debian's libsqlite3-dev, libsystemd-dev and libcrypt.
import PackageDescription

let package = Package(
    name: "ibrat",
    products: [
        .executable(name: "api-gateway", targets: ["api-gateway"]),
        .executable(name: "queue-daemon", targets: ["queue-daemon"]),
        .executable(name: "dialer-daemon", targets: ["dialer-daemon"]),
    ],
    targets: [
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CSystemd", path: "Sources/CSystemd", pkgConfig: "libsystemd",
                       providers: [.apt(["libsystemd-dev"])]),
        .systemLibrary(name: "CCrypt", path: "Sources/CCrypt",
                       providers: [.apt(["libcrypt-dev"])]),
        .target(name: "Shared", dependencies: ["CSQLite", "CSystemd", "CCrypt"], path: "Sources/Shared"),
        .executableTarget(name: "api-gateway", dependencies: ["Shared"], path: "Sources/api-gateway"),
        .executableTarget(name: "queue-daemon", dependencies: ["Shared"], path: "Sources/queue-daemon"),
        .executableTarget(name: "dialer-daemon", dependencies: ["Shared"], path: "Sources/dialer-daemon"),
        .testTarget(name: "SharedTests", dependencies: ["Shared"], path: "Tests/SharedTests"),
        .testTarget(name: "GatewayTests", dependencies: ["api-gateway", "Shared"], path: "Tests/GatewayTests"),
        .testTarget(name: "QueueTests", dependencies: ["queue-daemon", "Shared"], path: "Tests/QueueTests"),
        .testTarget(name: "DialerTests", dependencies: ["dialer-daemon", "Shared"], path: "Tests/DialerTests"),
        .testTarget(name: "IntegrationTests", dependencies: ["Shared"], path: "Tests/IntegrationTests"),
    ],
    swiftLanguageModes: [.v5]
)

// Release builds skip Swift's dynamic exclusivity checks (issue 16: `swift_beginAccess` and its
// thread-local access set were ~3% of a `GET /health`); debug builds and tests keep them.
for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
}
