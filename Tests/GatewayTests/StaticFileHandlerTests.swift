import Foundation
import TestSupport
import XCTest
@testable import api_gateway
@testable import Shared

/// The web console's file serving: types, ETag and 304, traversal refused, HEAD, changed files
/// re-read, and where the folder is found.
final class StaticFileHandlerTests: XCTestCase {
    var root = ""
    private var temp: TemporaryDirectory!
    var handler: StaticFileHandler!

    override func setUpWithError() throws {
        temp = try TemporaryDirectory(prefix: "ibrat-web")
        root = temp.file("web")
        try FileManager.default.createDirectory(atPath: root + "/assets/js", withIntermediateDirectories: true)
        try write("index.html", "<!doctype html><title>x</title>")
        try write("assets/js/main.js", "export const x = 1;\n")
        try write("assets/app.css", "body{}")
        try write("assets/.secret.js", "hidden")
        try write("assets/notes.md", "not served")
        try "outside".write(toFile: root + "-outside.js", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: root + "/assets/link.js", withDestinationPath: root + "-outside.js")
        handler = StaticFileHandler(cache: StaticFileCache(root: root))
    }

    override func tearDown() {
        temp = nil
    }

    func write(_ path: String, _ text: String) throws {
        try text.write(toFile: root + "/" + path, atomically: false, encoding: .utf8)
    }

    func get(_ segments: [String], ifNoneMatch: String? = nil) -> HTTPResponse {
        handler.respond(segments: segments, ifNoneMatch: ifNoneMatch)
    }

    func testContentTypesByExtension() {
        let table: [([String], String)] = [
            ([], "text/html; charset=utf-8"),
            (["index.html"], "text/html; charset=utf-8"),
            (["assets", "js", "main.js"], "text/javascript; charset=utf-8"),
            (["assets", "app.css"], "text/css; charset=utf-8"),
        ]
        for (segments, type) in table {
            let response = get(segments)
            XCTAssertEqual(response.status, 200, "\(segments)")
            XCTAssertEqual(response.headers["Content-Type"], type, "\(segments)")
        }
        XCTAssertEqual(String(decoding: get(["assets", "js", "main.js"]).body, as: UTF8.self), "export const x = 1;\n")
        XCTAssertNil(StaticContentType.forFile("README"))
        XCTAssertNil(StaticContentType.forFile(".js"))
        XCTAssertEqual(StaticContentType.forFile("A.SVG"), "image/svg+xml")
    }

    func testSecurityAndCacheHeaders() {
        let response = get([])
        let csp = response.headers["Content-Security-Policy"] ?? ""
        XCTAssertTrue(csp.contains("default-src 'self'"))
        XCTAssertTrue(csp.contains("frame-ancestors 'none'"))
        XCTAssertFalse(csp.contains("unsafe-inline"))
        XCTAssertEqual(response.headers["X-Content-Type-Options"], "nosniff")
        XCTAssertEqual(response.headers["Referrer-Policy"], "no-referrer")
        XCTAssertEqual(response.headers["Cache-Control"], "no-cache")
        XCTAssertNotNil(get(["nope.js"]).headers["Content-Security-Policy"])
    }

    func testETagAndNotModified() throws {
        let first = get(["assets", "app.css"])
        let etag = try XCTUnwrap(first.headers["ETag"])
        XCTAssertTrue(etag.hasPrefix("\"") && etag.hasSuffix("\"") && etag.count == StaticFileCache.etagDigits + 2)
        XCTAssertEqual(get(["assets", "app.css"]).headers["ETag"], etag, "stable while unchanged")
        for header in [etag, "W/" + etag, "\"other\", " + etag, "*"] {
            let again = get(["assets", "app.css"], ifNoneMatch: header)
            XCTAssertEqual(again.status, 304, header)
            XCTAssertTrue(again.body.isEmpty)
            XCTAssertEqual(again.headers["ETag"], etag)
        }
        XCTAssertEqual(get(["assets", "app.css"], ifNoneMatch: "\"other\"").status, 200)
        try write("assets/app.css", "body{color:red}")
        let changed = get(["assets", "app.css"], ifNoneMatch: etag)
        XCTAssertEqual(changed.status, 200, "an edited file is read again")
        XCTAssertNotEqual(changed.headers["ETag"], etag)
        XCTAssertEqual(String(decoding: changed.body, as: UTF8.self), "body{color:red}")
    }

    func testTraversalHiddenAndUnknownFilesAreRefused() {
        let refused: [[String]] = [
            ["assets", "..", "..", "etc", "passwd"], ["..", "index.html"], ["assets", ".", "app.css"],
            ["assets", "../../etc/passwd"], ["assets", "a\\b.js"], ["assets", "x\u{0}.js"], ["assets", ""],
            ["assets", ".secret.js"], ["assets", "notes.md"], ["assets", "link.js"], ["assets", "js"],
            ["assets", "missing.js"], Array(repeating: "a", count: StaticPath.maxSegments + 1),
        ]
        for segments in refused {
            let response = get(segments)
            XCTAssertEqual(response.status, 404, "\(segments)")
            XCTAssertTrue(String(decoding: response.body, as: UTF8.self).contains("\"error\":\"Not Found\""))
        }
    }

    func testHeadThroughTheRouterKeepsTheLength() throws {
        let router = Router()
        router.add("GET", "/assets/*") { [handler] request, responder in
            responder.send(handler!.respond(segments: request.pathSegments, ifNoneMatch: request.header("If-None-Match")))
        }
        var sent: HTTPResponse?
        let request = try HTTPRequest(method: "HEAD", target: "/assets/js/main.js")
        router.handle(request, HTTPResponder(request: request) { sent = $0 })
        let response = try XCTUnwrap(sent)
        XCTAssertEqual(response.status, 200)
        var out: [UInt8] = []
        HTTPResponseWriter.write(response, headOnly: true, keepAlive: true, requestVersion: .http11,
                                 date: Array("x".utf8), into: &out)
        let text = String(decoding: out, as: UTF8.self)
        XCTAssertTrue(text.contains("Content-Length: 20\r\n"), text)
        XCTAssertTrue(text.hasSuffix("\r\n\r\n"), "no body after a HEAD response")
    }

    func testStaticPathsAreNotRateLimited() {
        XCTAssertTrue(GatewayPipeline.isRateLimitExempt("/"))
        XCTAssertTrue(GatewayPipeline.isRateLimitExempt("/assets/js/main.js"))
        XCTAssertFalse(GatewayPipeline.isRateLimitExempt("/api/leads"))
    }

    func testWebRootResolution() throws {
        let files: Set<String> = ["/src/ibrat/web/index.html", "/opt/web/index.html", StaticWebRoot.installedPath + "/index.html",
                                  "/usr/local/share/ibrat/web/index.html"]
        let exists = { (path: String) in files.contains(path) }
        XCTAssertEqual(try StaticWebRoot.resolve(configured: "/opt/web/", executablePath: nil, exists: exists), "/opt/web")
        XCTAssertThrowsError(try StaticWebRoot.resolve(configured: "/nowhere", executablePath: nil, exists: exists)) { error in
            XCTAssertEqual((error as? ConfigError)?.variable, "IBRAT_WEB_DIR")
        }
        XCTAssertEqual(try StaticWebRoot.resolve(configured: nil, executablePath: "/src/ibrat/.build/x86_64-unknown-linux-gnu/debug/api-gateway",
                                                 exists: exists), "/src/ibrat/web")
        XCTAssertEqual(try StaticWebRoot.resolve(configured: nil, executablePath: "/usr/local/libexec/ibrat/api-gateway",
                                                 exists: exists), "/usr/local/share/ibrat/web")
        XCTAssertEqual(try StaticWebRoot.resolve(configured: nil, executablePath: "/srv/bin/api-gateway", exists: exists),
                       StaticWebRoot.installedPath)
        XCTAssertNil(try StaticWebRoot.resolve(configured: nil, executablePath: "/usr/bin/api-gateway", exists: { _ in false }))
    }
}
