import XCTest
@testable import api_gateway
@testable import Shared

/// JSON body rules (415/400), field validators, query parameters, pagination and id checks.
final class ValidationTests: XCTestCase {
    private func request(_ body: String, contentType: String?) throws -> HTTPRequest {
        var headers = HTTPHeaders()
        if let contentType { headers.add("Content-Type", contentType) }
        return try HTTPRequest(method: "POST", target: "/x", headers: headers, body: Array(body.utf8))
    }

    func testJSONBodyMediaTypeAndParseErrors() throws {
        for type in [nil, "text/plain", "application/jsonx", "multipart/form-data; boundary=x"] {
            let result = JSONBody.object(of: try request("{}", contentType: type))
            guard case .failure(let error) = result else { return XCTFail("accepted \(type ?? "nil")") }
            XCTAssertEqual(error.status, 415)
            XCTAssertEqual(error.response.json, ["error": "Unsupported Media Type",
                                                 "message": "Content-Type must be application/json"])
        }
        for type in ["application/json", "Application/JSON; charset=utf-8", " application/json ;charset=UTF-8"] {
            XCTAssertEqual(try JSONBody.object(of: try request(#"{"a":1}"#, contentType: type)).get(), ["a": 1], type)
        }
        let malformed = JSONBody.object(of: try request(#"{"a":"#, contentType: "application/json"))
        guard case .failure(let parse) = malformed else { return XCTFail("parsed a truncated body") }
        XCTAssertEqual(parse.status, 400)
        XCTAssertEqual(parse.response.errorText, "Invalid JSON")
        XCTAssertTrue(parse.response.messageText?.contains("offset") ?? false, parse.response.messageText ?? "")
        for body in ["[1,2]", "\"text\"", "", "null"] {
            let result = JSONBody.object(of: try request(body, contentType: "application/json"))
            guard case .failure(let error) = result else { return XCTFail("accepted \(body)") }
            XCTAssertEqual(error.status, 400, body)
            XCTAssertEqual(error.response.errorText, "Invalid JSON", body)
        }
        XCTAssertEqual(try JSONBody.object(of: try request("", contentType: nil), allowEmpty: true).get(), [:])
    }

    func testJSONBodyErrorsThroughARoute() throws {
        let h = try GatewayHarness()
        let op = try h.createUser(email: "op@example.com")
        let wrongType = h.send("PUT", "/api/operator/profile/availability", token: h.token(for: op),
                               headers: [("Content-Type", "text/plain")], rawBody: Array("isAvailable=true".utf8))
        XCTAssertEqual(wrongType.status, 415)
        let broken = h.send("POST", "/api/auth/login", headers: [("Content-Type", "application/json")],
                            rawBody: Array("{\"email\":".utf8))
        XCTAssertEqual(broken.status, 400)
        XCTAssertEqual(broken.errorText, "Invalid JSON")
    }

    func testBodyFieldValidators() throws {
        let fields = BodyFields(["n": 5, "d": 2.5, "big": 3.0, "s": "  hi  ", "arr": ["a", " b "], "bad": [1],
                                 "id": "0123456789abcdef01234567", "upper": "0123456789ABCDEF01234567", "nul": .null])
        XCTAssertEqual(try fields.int("n", range: 1...10), 5)
        XCTAssertEqual(try fields.int("big"), 3)
        XCTAssertThrowsError(try fields.int("d")) { XCTAssertEqual(($0 as? HTTPError)?.response.messageText,
                                                                   "\"d\" must be an integer") }
        XCTAssertThrowsError(try fields.int("n", range: 6...10))
        XCTAssertEqual(try fields.string("s"), "hi")
        XCTAssertEqual(try fields.string("s", trim: false), "  hi  ")
        XCTAssertNil(try fields.string("missing"))
        XCTAssertNil(try fields.string("nul"), "null is treated as absent")
        XCTAssertThrowsError(try fields.string("missing", required: true)) {
            XCTAssertEqual(($0 as? HTTPError)?.response.messageText, "\"missing\" is required")
        }
        let item = FieldRule("arr", .utf16Length, 0...1, phrase: "must be at most 1 character long")
        XCTAssertEqual(try fields.stringArray(count: FieldRule("arr", .itemCount, 0...2, phrase: "at most 2"), item: item), ["a", "b"])
        XCTAssertThrowsError(try fields.stringArray(count: FieldRule("arr", .itemCount, 0...1, phrase: "must contain at most 1 item"),
                                                    item: item)) {
            XCTAssertEqual(($0 as? HTTPError)?.response.messageText, "\"arr\" must contain at most 1 item")
        }
        XCTAssertThrowsError(try fields.stringArray(count: FieldRule("bad", .itemCount, 0...2, phrase: ""), item: item))
        XCTAssertEqual(try fields.id("id"), "0123456789abcdef01234567")
        XCTAssertThrowsError(try fields.id("upper")) {
            XCTAssertEqual(($0 as? HTTPError)?.response.json, ["error": "Invalid id",
                                                               "message": "\"upper\" must be a 24-character hex id"])
        }
        XCTAssertThrowsError(try fields.rejectUnknown(allowed: ["n"])) {
            XCTAssertTrue(($0 as? HTTPError)?.response.messageText?.hasSuffix("is not allowed") ?? false)
        }
        XCTAssertThrowsError(try fields.bool("n")) {
            XCTAssertEqual(($0 as? HTTPError)?.response.messageText, "\"n\" must be a boolean")
        }
    }

    func testPaginationAndQueryParams() throws {
        func req(_ query: String) throws -> HTTPRequest { try HTTPRequest(method: "GET", target: "/x?" + query) }
        XCTAssertEqual(try Pagination.parse(try req("")), Pagination(page: 1, limit: 20))
        XCTAssertEqual(try Pagination.parse(try req("page=3&limit=100")), Pagination(page: 3, limit: 100))
        XCTAssertEqual(Pagination(page: 3, limit: 10).offset, 20)
        XCTAssertEqual(try Pagination.parse(try req("limit=101")), Pagination(page: 1, limit: 100))
        XCTAssertEqual(try Pagination.parse(try req("limit=99999999999999999999")), Pagination(page: 1, limit: 100))
        for bad in ["limit=1e3", "limit=0", "limit=-1", "limit=1.5", "page=0", "page=abc", "page=99999999999999"] {
            XCTAssertThrowsError(try Pagination.parse(try req(bad)), bad) {
                XCTAssertEqual(($0 as? HTTPError)?.status, 400)
            }
        }
        XCTAssertEqual(Pagination(page: 1, limit: 20).json(total: 41), ["page": 1, "limit": 20, "total": 41, "pages": 3])
        XCTAssertEqual(Pagination().json(total: 0)["pages"], 0)
        XCTAssertEqual(try QueryParams.bool(try req("a=true"), "a"), true)
        XCTAssertEqual(try QueryParams.bool(try req("a=false"), "a"), false)
        XCTAssertThrowsError(try QueryParams.bool(try req("a=1"), "a"))
        XCTAssertEqual(try QueryParams.date(try req("d=2024-01-31"), "d", rangeEnd: true),
                       Timestamp.parseISO8601("2024-01-31T23:59:59.999Z"))
        XCTAssertThrowsError(try QueryParams.date(try req("d=yesterday"), "d"))
        XCTAssertThrowsError(try QueryParams.id(try req("leadId=42"), "leadId")) {
            XCTAssertEqual(($0 as? HTTPError)?.response.errorText, "Invalid id")
        }
        XCTAssertThrowsError(try QueryParams.string(try req("search=" + String(repeating: "a", count: 201)), "search"))
    }

    func testPathIDValidation() throws {
        let h = try GatewayHarness()
        let request = try HTTPRequest(method: "GET", target: "/api/users/zz")
        request.pathParams = ["id": "zz"]
        XCTAssertThrowsError(try h.ctx.pathID(request)) {
            XCTAssertEqual(($0 as? HTTPError)?.response.json, ["error": "Invalid id",
                                                               "message": "\"id\" must be a 24-character hex id"])
        }
        request.pathParams = ["id": "65a1b2c3d4e5f60718293a4b"]
        XCTAssertEqual(try h.ctx.pathID(request), "65a1b2c3d4e5f60718293a4b")
    }
}
