import Foundation
import XCTest
@testable import api_gateway
@testable import Shared

/// docs/openapi.json (written by scripts/openapi-gen) is the contract of the REST API: every
/// route the gateway registers is in it and every operation in it is a route (method + path
/// template), protected operations are the ones that refuse a request without a token, and the
/// gateway serves the file.
final class OpenAPIContractTests: XCTestCase {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let specPath = repo + "/docs/openapi.json"

    func spec() throws -> JSONObject {
        let bytes = try XCTUnwrap(FileManager.default.contents(atPath: Self.specPath), "missing \(Self.specPath)")
        return try XCTUnwrap(try JSON.parse(Array(bytes)).object)
    }

    /// `/api/leads/:id` and `/api/leads/{id}/` → `/api/leads/{id}`; a trailing wildcard
    /// (`/assets/*`) is written `{path}` in the document.
    static func template(_ path: String) -> String {
        "/" + path.split(separator: "/").map { segment in
            segment == "*" ? "{path}" : segment.hasPrefix(":") ? "{\(segment.dropFirst())}" : String(segment)
        }.joined(separator: "/")
    }

    func specOperations() throws -> [String: JSONObject] {
        var operations: [String: JSONObject] = [:]
        for (path, item) in try XCTUnwrap(try spec()["paths"]?.object) {
            for (method, operation) in try XCTUnwrap(item.object) {
                operations[method.uppercased() + " " + Self.template(path)] = try XCTUnwrap(operation.object)
            }
        }
        return operations
    }

    func testRouterAndSpecHaveTheSameRoutes() throws {
        let harness = try GatewayHarness()
        let routes = Set(harness.router.registeredRoutes.map { $0.method + " " + Self.template($0.pattern) })
        let documented = Set(try specOperations().keys)
        XCTAssertEqual(routes.count, harness.router.registeredRoutes.count, "a route registered twice")
        XCTAssertEqual(routes.subtracting(documented).sorted(), [], "routes missing from docs/openapi.json (describe them in scripts/openapi/, run scripts/openapi-gen)")
        XCTAssertEqual(documented.subtracting(routes).sorted(), [], "operations in docs/openapi.json the router lacks")
        XCTAssertGreaterThan(routes.count, 40)
    }

    /// An operation that needs `bearerAuth` answers 401 without a token; one that can do without
    /// (`security: []`, or an empty requirement among its alternatives) never does.
    func testSecurityMatchesTheRouteGuards() throws {
        let harness = try GatewayHarness()
        let spec = try spec()
        let global = spec["security"]?.array ?? []
        for (key, operation) in try specOperations() {
            let parts = key.split(separator: " ", maxSplits: 1).map(String.init)
            let target = "/" + parts[1].split(separator: "/").map { segment in
                segment == "{id}" ? "0123456789abcdef01234567" : segment.hasPrefix("{") ? "sample" : String(segment)
            }.joined(separator: "/")
            let security = operation["security"]?.array ?? global
            let needsToken = !security.isEmpty && security.allSatisfy { $0.object?["bearerAuth"] != nil }
            let response = harness.send(parts[0], target)
            if needsToken {
                XCTAssertEqual(response.status, 401, key)
                XCTAssertEqual(response.errorText, AuthGuard.noToken, key)
            } else {
                XCTAssertNotEqual(response.status, 401, key)
            }
            let statuses = try XCTUnwrap(operation["responses"]?.object, key).keys
            XCTAssertTrue(statuses.contains(String(response.status)), "\(key) answered \(response.status), not in the spec")
        }
    }

    /// Every error the spec lists has the `{error, message}` shape.
    func testErrorResponsesUseTheErrorShape() throws {
        let spec = try spec()
        let shared = try XCTUnwrap(spec["components"]?.object?["responses"]?.object)
        for (key, operation) in try specOperations() where !key.hasSuffix("/socket.io") {
            for (status, response) in try XCTUnwrap(operation["responses"]?.object) where status.hasPrefix("4") || status.hasPrefix("5") {
                var resolved = try XCTUnwrap(response.object)
                if let ref = resolved["$ref"]?.string {
                    resolved = try XCTUnwrap(shared[String(ref.split(separator: "/").last ?? "")]?.object, ref)
                }
                let schema = resolved["content"]?.object?["application/json"]?.object?["schema"]?.object
                XCTAssertEqual(schema?["$ref"]?.string, "#/components/schemas/Error", "\(key) \(status)")
            }
        }
    }

    func testTheGatewayServesTheDocument() throws {
        let harness = try GatewayHarness(env: ["IBRAT_OPENAPI_FILE": Self.specPath])
        let response = harness.send("GET", OpenAPIRoutes.path)
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.headers["Content-Type"], OpenAPIRoutes.contentType)
        XCTAssertEqual(response.json["openapi"]?.string, "3.1.0")
        XCTAssertEqual(response.body, Array(try XCTUnwrap(FileManager.default.contents(atPath: Self.specPath))))
    }

    func testAMissingDocumentIs404() throws {
        let harness = try GatewayHarness(env: ["IBRAT_OPENAPI_FILE": "/nonexistent/openapi.json"])
        let response = harness.send("GET", OpenAPIRoutes.path)
        XCTAssertEqual(response.status, 404)
        XCTAssertEqual(response.errorText, "Not Found")
        XCTAssertNotNil(response.messageText)
        XCTAssertEqual(harness.send("GET", OpenAPIRoutes.path).status, 404)
        XCTAssertEqual(harness.logs.records.filter { $0.message.hasPrefix("OpenAPI document not found") }.count, 1,
                       "a missing document is reported once")
    }

    func testCandidatePaths() {
        let table: [(setting: String?, exe: String?, expected: [String])] = [
            ("/etc/x.json", "/usr/libexec/ibrat/api-gateway", ["/etc/x.json"]),
            (nil, nil, ["/usr/share/ibrat/openapi.json"]),
            (nil, "/usr/libexec/ibrat/api-gateway",
             ["/usr/share/ibrat/openapi.json", "/usr/libexec/share/ibrat/openapi.json", "/usr/libexec/docs/openapi.json",
              "/usr/docs/openapi.json", "/docs/openapi.json"]),
            (nil, "/src/ibrat/.build/debug/api-gateway",
             ["/src/ibrat/share/ibrat/openapi.json", "/src/ibrat/.build/share/ibrat/openapi.json",
              "/usr/share/ibrat/openapi.json", "/src/ibrat/.build/docs/openapi.json", "/src/ibrat/docs/openapi.json",
              "/src/docs/openapi.json", "/docs/openapi.json"]),
        ]
        for row in table {
            XCTAssertEqual(OpenAPIDocument.candidates(setting: row.setting, executablePath: row.exe), row.expected,
                           "\(row.setting ?? "nil") \(row.exe ?? "nil")")
        }
    }
}
