import XCTest
@testable import api_gateway

/// Who may see a lead on `GET /api/leads/:id` and `GET /api/leads/:id/history`
/// (`LeadDetailQuery.isVisible`), from a table: admins every active lead and deleted ones when
/// asked, operators active leads that are unassigned or assigned to them.
final class LeadVisibilityTests: XCTestCase {
    func testVisibilityTable() {
        let me = "aaaaaaaaaaaaaaaaaaaaaaaa", other = "bbbbbbbbbbbbbbbbbbbbbbbb"
        let rows: [(active: Bool, assigned: String?, viewer: LeadDetailQuery.Viewer, visible: Bool)] = [
            (true, nil, .admin(includeDeleted: false), true),
            (true, other, .admin(includeDeleted: false), true),
            (false, nil, .admin(includeDeleted: false), false),
            (false, other, .admin(includeDeleted: true), true),
            (true, nil, .operator_(id: me), true),
            (true, me, .operator_(id: me), true),
            (true, other, .operator_(id: me), false),
            (false, me, .operator_(id: me), false),
            (false, nil, .operator_(id: me), false),
        ]
        for (i, row) in rows.enumerated() {
            XCTAssertEqual(LeadDetailQuery.isVisible(isActive: row.active, assignedTo: row.assigned, to: row.viewer),
                           row.visible, "row \(i)")
        }
    }
}
