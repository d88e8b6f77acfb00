/// The queue-daemon's error answers (`IPCError` bodies `{code, status, error, message}`). The
/// `error` strings are the original product's where it had one, so clients keep working; the
/// `message` says what exactly was wrong.

import Shared

enum QueueErrors {
    static func validation(_ message: String) -> IPCError { .validationFailed(message) }

    static func leadNotFound(_ id: LeadID) -> IPCError {
        .notFound(code: .leadNotFound, error: "Lead not found", message: "No lead with id \(id)")
    }

    static func leadDeleted(_ id: LeadID) -> IPCError {
        .notFound(code: .leadNotFound, error: "Lead not found", message: "Lead \(id) was deleted")
    }

    static func leadInactive(_ id: LeadID) -> IPCError {
        .conflict(code: .leadInactive, error: "Lead is not active", message: "Lead \(id) was deleted")
    }

    static func duplicatePhone(_ phone: String) -> IPCError {
        .conflict(code: .duplicatePhone, error: "Lead with this phone number already exists",
                  message: "A lead with the phone number \(phone) already exists (deleted leads included)")
    }

    static func accessDenied(_ message: String) -> IPCError {
        .forbidden(code: .accessDenied, error: "Access denied. You can only update leads assigned to you.",
                   message: message)
    }

    static func callInProgress(_ id: LeadID, status: LeadStatus) -> IPCError {
        .conflict(code: .callInProgress, error: "Lead has a call in progress",
                  message: "Lead \(id) is \(status.rawValue); wait for the call to end")
    }

    static func leadNotAvailable(_ message: String) -> IPCError {
        .conflict(code: .leadNotAvailable, error: "Lead is not available for claiming", message: message)
    }

    /// A state-machine refusal, as a 409 naming the current status.
    static func invalidTransition(_ message: String, current: LeadStatus, allowed: [LeadStatus]? = nil) -> IPCError {
        var text = "\(message) (current status: \(current.rawValue)"
        if let allowed {
            text += allowed.isEmpty ? "; no status can be set now" : "; allowed: " + allowed.map(\.rawValue).joined(separator: ", ")
        }
        return .conflict(code: .invalidStatusTransition, error: "Invalid status change", message: text + ")")
    }

    static func importNotFound(_ id: String) -> IPCError {
        .notFound(code: .importNotFound, error: "Import not found",
                  message: "No open import \(id) on this connection (it may have been committed, or discarded after 5 minutes idle)")
    }

    static func importTooLarge(_ message: String) -> IPCError {
        IPCError(code: .importTooLarge, status: 413, error: "Payload Too Large", message: message)
    }

    /// A database write failed (disk full, I/O error, ...). Logged by the router with the detail.
    static let storeFailure = IPCError.internal(code: .`internal`, error: "Internal Server Error",
                                                message: "The lead store could not be written")
}
