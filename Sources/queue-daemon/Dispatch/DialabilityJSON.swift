/// The wire shapes of issue 17: a lead's `dialability` and the queue's explanation (REST, IPC,
/// `get_queue_status`, system status and the `queue_explained` event all carry these).
///
/// `dialability`: `{callable, firstReason, reasons: [{reason, until?, localTime?, operatorId?,
/// status?}], nextCallableAt}` (times ISO 8601 UTC, null when unknown).

import Shared

enum DialabilityJSON {
    static func render(_ dialability: Dialability) -> JSON {
        .object(JSONObject([
            ("callable", .bool(dialability.callable)),
            ("firstReason", JSON.from(dialability.firstReason?.code.rawValue)),
            ("reasons", .array(dialability.reasons.map(reason))),
            ("nextCallableAt", time(dialability.nextCallableAt)),
        ]))
    }

    static func reason(_ reason: DialabilityReason) -> JSON {
        var object = JSONObject([("reason", .string(reason.code.rawValue))])
        switch reason.code {
        case .retryWait, .outsideCallingHours, .dailyCap, .callbackReserved:
            object["until"] = time(reason.until)
        default:
            break
        }
        if let local = reason.localTime { object["localTime"] = .string(local) }
        if let detail = reason.detail {
            object[reason.code == .notPending ? "status" : "operatorId"] = .string(detail)
        }
        return .object(object)
    }

    static func explanation(_ e: QueueExplanation, now: Int64) -> JSON {
        var counts = JSONObject()
        for code in QueueExplanation.countedReasons { counts[code.rawValue] = .int(Int64(e.byFirstReason[code] ?? 0)) }
        var operators = JSONObject()
        for activity in OperatorActivity.allCases { operators[activity.rawValue] = .int(Int64(e.operators[activity] ?? 0)) }
        operators["total"] = .int(Int64(e.operators.values.reduce(0, +)))
        let opening: JSON = e.nextOpening.map {
            .object(JSONObject([("at", time($0.at)), ("zones", .string($0.zones)), ("localTime", .string($0.localTime)),
                                ("inSeconds", .int(max(0, ($0.at - now) / 1000)))]))
        } ?? .null
        return .object(JSONObject([
            ("dialing", .bool(e.dialing)),
            ("idle", .bool(e.idle)),
            ("reason", JSON.from(e.reason)),
            ("message", .string(e.message(now: now))),
            ("blockers", .array(e.blockers.map { .string($0.rawValue) })),
            ("paused", .bool(e.paused)),
            ("dialerReady", .bool(e.dialerReady)),
            ("lines", .object(JSONObject([("inUse", .int(Int64(e.linesInUse))), ("max", .int(Int64(e.maxLines))),
                                          ("free", .int(Int64(max(0, e.freeLines))))]))),
            ("operators", .object(operators)),
            ("pacing", .object(JSONObject([("mode", .string(e.pacingMode)), ("effectiveMode", .string(e.effectiveMode)),
                                           ("reason", .string(e.pacingReason)), ("dialLevel", .double(e.dialLevel)),
                                           ("maxDialLevel", .double(e.maxDialLevel))]))),
            ("pending", .object(JSONObject([("total", .int(Int64(e.pendingTotal))), ("ready", .int(Int64(e.ready))),
                                            ("byFirstReason", .object(counts))]))),
            ("nextOpening", opening),
            ("nextDialableAt", time(e.nextDialableAt)),
            ("computedAt", .string(Timestamp.iso8601(millis: now))),
        ]))
    }

    static func time(_ millis: Int64?) -> JSON {
        millis.map { .string(Timestamp.iso8601(millis: $0)) } ?? .null
    }
}
