/// The booked call-backs (issue 12): pending leads reserved for the operator who booked them,
/// kept out of the EDF scheduler and dialed by the dispatcher for that operator once due
/// (`CallbackRules`: wait for the time, then for the operator up to the grace, then anyone).
/// Rebuilt from SQL at start-up; kept in step with each lead change. Loop thread only.

import Shared

final class CallbackBook {
    struct Booking: Equatable {
        let leadId: LeadID
        let operatorId: OperatorID
        let dueAt: Int64
        let zones: String
    }

    private(set) var bookings: [LeadID: Booking] = [:]

    var count: Int { bookings.count }

    /// Bookings by due time (ties by lead id), the order they are served in.
    var ordered: [Booking] {
        bookings.values.sorted { $0.dueAt != $1.dueAt ? $0.dueAt < $1.dueAt : $0.leadId < $1.leadId }
    }

    /// Follows `lead`: booked when it is callable and reserved, else dropped.
    func sync(_ lead: LeadRecord) {
        if lead.snapshot.isCallable, let operatorId = lead.callbackOperator {
            bookings[lead.id] = Booking(leadId: lead.id, operatorId: operatorId,
                                        dueAt: lead.callbackAt ?? lead.nextCallTime ?? lead.createdAt,
                                        zones: lead.timezone.column ?? "")
        } else {
            bookings[lead.id] = nil
        }
    }

    func remove(_ leadId: LeadID) {
        bookings[leadId] = nil
    }

    /// Start-up: every reserved, callable lead.
    func load(from db: Database) throws {
        bookings.removeAll()
        try db.forEachRow("""
            SELECT \(LeadJSON.columns) FROM leads WHERE callback_operator IS NOT NULL AND status = 'pending'
            """) { sync(LeadRecord(row: $0)) }
    }
}
