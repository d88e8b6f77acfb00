import XCTest
@testable import api_gateway
@testable import Shared

/// `/api/users` #20–#27: filters, literal search, pagination cap, self-or-admin rules, role
/// changes by admins, strict booleans and the last-admin rules.
final class UserRoutesTests: XCTestCase {
    func testListFiltersSearchAndPagination() throws {
        let h = try GatewayHarness()
        let (_, token) = try h.admin()
        try h.createUser(name: "Alice 100%", email: "alice@example.com")
        try h.createUser(name: "Bob", email: "bob@example.com", active: false)
        try h.createUser(name: "Carol_x", email: "carol@sales.example.com")
        let all = h.send("GET", "/api/users", token: token)
        XCTAssertEqual(all.status, 200)
        XCTAssertEqual(all.json["pagination"], ["page": 1, "limit": 20, "total": 4, "pages": 1])
        let allNames = all.json["users"]?.array?.compactMap { $0["name"]?.string }
        XCTAssertEqual(allNames, ["Carol_x", "Bob", "Alice 100%", "Admin"], "newest first")
        let first = try XCTUnwrap(all.json["users"]?.array?.first?.object)
        XCTAssertEqual(first.keys, ["_id", "id", "name", "email", "phone", "role", "isActive", "isAvailable", "lastLogin",
                                    "callStats", "createdAt", "updatedAt", "operatorState"], "issue 14: operators' state")

        func names(_ query: String) -> [String] {
            h.send("GET", "/api/users?" + query, token: token).json["users"]?.array?.compactMap { $0["name"]?.string } ?? []
        }
        XCTAssertEqual(names("role=admin"), ["Admin"])
        XCTAssertEqual(names("role=salesperson&isActive=true"), ["Carol_x", "Alice 100%"])
        XCTAssertEqual(names("isActive=false"), ["Bob"])
        XCTAssertEqual(names("search=ALICE"), ["Alice 100%"])
        XCTAssertEqual(names("search=%25"), ["Alice 100%"], "% is literal")
        XCTAssertEqual(names("search=_"), ["Carol_x"], "_ is literal")
        XCTAssertEqual(names("search=sales.example"), ["Carol_x"])
        XCTAssertEqual(names("search=(a+"), [], "no regex, no 500")

        let page2 = h.send("GET", "/api/users?page=2&limit=3", token: token)
        XCTAssertEqual(page2.json["pagination"], ["page": 2, "limit": 3, "total": 4, "pages": 2])
        XCTAssertEqual(page2.json["users"]?.array?.count, 1)

        XCTAssertEqual(h.send("GET", "/api/users?limit=101", token: token).json["pagination"]?["limit"], 100)
        for (query, parameter) in [("limit=x", "limit"), ("limit=0", "limit"), ("page=0", "page"), ("page=x", "page"),
                                   ("isActive=yes", "isActive"), ("role=boss", "role")] {
            let bad = h.send("GET", "/api/users?" + query, token: token)
            XCTAssertEqual(bad.status, 400, query)
            XCTAssertTrue(bad.messageText?.hasPrefix("\"\(parameter)\"") ?? false, "\(query): \(bad.messageText ?? "")")
        }
    }

    func testAvailableSalespeopleAndSummary() throws {
        let h = try GatewayHarness()
        let (_, token) = try h.admin()
        let op = try h.createUser(name: "Available", email: "a@example.com")
        try h.createUser(name: "Busy", email: "b@example.com", available: false)
        try h.createUser(name: "Gone", email: "c@example.com", active: false)
        let list = h.send("GET", "/api/users/available-salespeople", token: h.token(for: op))
        XCTAssertEqual(list.status, 200)
        XCTAssertEqual(list.json["salespeople"]?.array?.compactMap { $0["name"]?.string }, ["Available"])
        let summary = h.send("GET", "/api/users/stats/summary", token: token)
        XCTAssertEqual(summary.json["summary"], ["totalUsers": 4, "activeUsers": 3, "availableSalespeople": 1,
                                                 "totalAdmins": 1, "totalSalespeople": 3])
        XCTAssertEqual(summary.json["recentUsers"]?.array?.count, 4)
        XCTAssertNil(summary.json["recentUsers"]?.array?.first?["password_hash"])
    }

    func testGetUserSelfOrAdminAndIdValidation() throws {
        let h = try GatewayHarness()
        let (_, adminToken) = try h.admin()
        let a = try h.createUser(email: "a@example.com")
        let b = try h.createUser(email: "b@example.com")
        XCTAssertEqual(h.send("GET", "/api/users/\(a.id)", token: h.token(for: a)).json["user"]?["email"], "a@example.com")
        let other = h.send("GET", "/api/users/\(b.id)", token: h.token(for: a))
        XCTAssertEqual(other.status, 403)
        XCTAssertEqual(other.errorText, "Access denied. You can only view your own profile.")
        XCTAssertEqual(h.send("GET", "/api/users/\(b.id)", token: adminToken).status, 200)
        let missing = h.send("GET", "/api/users/\(ObjectID.generate(nowMillis: 5))", token: adminToken)
        XCTAssertEqual(missing.status, 404)
        XCTAssertEqual(missing.errorText, "User not found")
        let malformed = h.send("GET", "/api/users/not-an-id", token: adminToken)
        XCTAssertEqual(malformed.status, 400)
        XCTAssertEqual(malformed.errorText, "Invalid id")
        XCTAssertEqual(malformed.messageText, "\"id\" must be a 24-character hex id")
    }

    func testUpdateRulesRoleChangeAndUniqueness() throws {
        let h = try GatewayHarness()
        let (_, adminToken) = try h.admin()
        let op = try h.createUser(email: "op@example.com", phone: "+998901111111")
        try h.createUser(email: "taken@example.com", phone: "+998902222222")
        let opToken = h.token(for: op)
        let renamed = h.send("PUT", "/api/users/\(op.id)", json: ["name": "Renamed", "phone": "90 333 33 33"], token: opToken)
        XCTAssertEqual(renamed.status, 200)
        XCTAssertEqual(renamed.json["message"], "User updated successfully")
        XCTAssertEqual(renamed.json["user"]?["name"], "Renamed")
        XCTAssertEqual(renamed.json["user"]?["phone"], "+998903333333")
        let selfPromote = h.send("PUT", "/api/users/\(op.id)", json: ["role": "admin"], token: opToken)
        XCTAssertEqual(selfPromote.status, 403)
        XCTAssertEqual(h.send("PUT", "/api/users/\(op.id)", json: ["isActive": false], token: opToken).status, 403)
        XCTAssertEqual(h.send("PUT", "/api/users/\(op.id)", json: ["role": "salesperson"], token: opToken).status, 200,
                       "restating one's own role is not a change")
        let badEmail = h.send("PUT", "/api/users/\(op.id)", json: ["email": "nope"], token: opToken)
        XCTAssertEqual(badEmail.errorText, "Validation failed")
        let dupEmail = h.send("PUT", "/api/users/\(op.id)", json: ["email": "TAKEN@example.com"], token: opToken)
        XCTAssertEqual(dupEmail.status, 409)
        XCTAssertEqual(dupEmail.errorText, "User with this email or phone number already exists")
        XCTAssertEqual(h.send("PUT", "/api/users/\(op.id)", json: ["phone": "+998902222222"], token: opToken).status, 409)
        let other = try h.createUser(email: "other@example.com")
        let foreign = h.send("PUT", "/api/users/\(other.id)", json: ["name": "Hacked"], token: opToken)
        XCTAssertEqual(foreign.errorText, "Access denied. You can only update your own profile.")

        let promoted = h.send("PUT", "/api/users/\(op.id)", json: ["role": "admin"], token: adminToken)
        XCTAssertEqual(promoted.status, 200)
        XCTAssertEqual(promoted.json["user"]?["role"], "admin")
        XCTAssertEqual(h.send("GET", "/api/users", token: opToken).status, 200, "role re-read on the next request")
    }

    func testAvailabilityAndActivateAreStrictBooleans() throws {
        let h = try GatewayHarness()
        let (_, adminToken) = try h.admin()
        let op = try h.createUser(email: "op@example.com")
        for bad: JSON in [["isAvailable": "false"], ["isAvailable": 0], [:], ["isAvailable": .null]] {
            let r = h.send("PUT", "/api/users/\(op.id)/availability", json: bad, token: h.token(for: op))
            XCTAssertEqual(r.status, 400)
            XCTAssertEqual(r.errorText, "isAvailable must be a boolean value")
        }
        let ok = h.send("PUT", "/api/users/\(op.id)/availability", json: ["isAvailable": false], token: h.token(for: op))
        XCTAssertEqual(ok.json, ["message": "Availability updated successfully", "isAvailable": false])
        let other = try h.createUser(email: "other@example.com")
        XCTAssertEqual(h.send("PUT", "/api/users/\(other.id)/availability", json: ["isAvailable": false],
                              token: h.token(for: op)).errorText,
                       "Access denied. You can only update your own availability.")

        XCTAssertEqual(h.send("PUT", "/api/users/\(op.id)/activate", json: ["isActive": "no"], token: adminToken).errorText,
                       "isActive must be a boolean value")
        let opToken = h.token(for: op)
        try h.ctx.users.update(id: op.id, UserStore.Changes(isAvailable: true), now: 1)
        let off = h.send("PUT", "/api/users/\(op.id)/activate", json: ["isActive": false], token: adminToken)
        XCTAssertEqual(off.json, ["message": "User deactivated successfully", "isActive": false])
        XCTAssertEqual(try h.ctx.users.user(id: op.id)?.isAvailable, false, "deactivation clears availability")
        XCTAssertEqual(h.send("GET", "/api/auth/me", token: opToken).errorText, "Account is deactivated.")
        let on = h.send("PUT", "/api/users/\(op.id)/activate", json: ["isActive": true], token: adminToken)
        XCTAssertEqual(on.json, ["message": "User activated successfully", "isActive": true])
        XCTAssertEqual(h.send("GET", "/api/auth/me", token: opToken).status, 200)
    }

    func testLastAdminRules() throws {
        let h = try GatewayHarness()
        let (admin, token) = try h.admin()
        let deactivate = h.send("PUT", "/api/users/\(admin.id)/activate", json: ["isActive": false], token: token)
        XCTAssertEqual(deactivate.status, 409)
        XCTAssertEqual(deactivate.errorText, "Cannot deactivate the last admin user")
        let delete = h.send("DELETE", "/api/users/\(admin.id)", token: token)
        XCTAssertEqual(delete.status, 409)
        XCTAssertEqual(delete.errorText, "Cannot delete the last admin user")
        XCTAssertEqual(h.send("PUT", "/api/users/\(admin.id)", json: ["role": "operator"], token: token).errorText,
                       "Cannot change the role of the last admin user")
        XCTAssertEqual(h.send("PUT", "/api/users/\(admin.id)", json: ["isActive": false], token: token).errorText,
                       "Cannot deactivate the last admin user")
        XCTAssertEqual(try h.ctx.users.user(id: admin.id)?.isActive, true)

        let second = try h.createUser(name: "Second", email: "second@example.com", role: .admin)
        let deleted = h.send("DELETE", "/api/users/\(admin.id)", token: token)
        XCTAssertEqual(deleted.json, ["message": "User deleted successfully"])
        let row = try XCTUnwrap(try h.ctx.users.user(id: admin.id))
        XCTAssertFalse(row.isActive)
        XCTAssertFalse(row.isAvailable)
        XCTAssertEqual(h.send("DELETE", "/api/users/\(second.id)", token: h.token(for: second)).errorText,
                       "Cannot delete the last admin user")
        XCTAssertEqual(h.send("DELETE", "/api/users/\(ObjectID.generate(nowMillis: 9))", token: h.token(for: second)).status,
                       404)
    }
}
