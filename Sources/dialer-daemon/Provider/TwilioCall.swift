import Shared

/// One call as the Twilio provider tracks it, from `place` until its final event: where it is in
/// the provider's own life cycle (waiting for a CPS slot, create request in flight, live at
/// Twilio, ending), its sid once Twilio accepted it, how many create attempts were made, whether
/// the lead answered, and its one timer (retry delay or status check). Loop thread only.
final class TwilioCall {
    enum Phase: Equatable {
        /// Queued behind the calls-per-second limit.
        case waiting
        /// Twilio could not be reached; the next attempt is due when `timer` fires.
        case retryWait
        /// The create request is in flight.
        case creating
        /// Twilio accepted the call (`sid` set); webhooks drive it now.
        case live
        /// Hung up or finished; nothing more is reported.
        case ending
    }

    let request: CallRequest
    var events: ((CallProviderEvent) -> Void)?
    var phase: Phase = .waiting
    var sid: String?
    var attempts = 0
    /// `hangup` came while the create request was in flight: end the call once its sid is known.
    var hangupRequested = false
    /// Monotonic seconds when the answer was seen (webhook or status check).
    var answeredAt: Double?
    /// The retry delay (`retryWait`) or the next status check (`live`).
    var timer: TimerSource?

    init(request: CallRequest, events: @escaping (CallProviderEvent) -> Void) {
        self.request = request
        self.events = events
    }

    var callId: String { request.callId }

    /// Journald fields naming the call (and its sid once known).
    var logFields: [String: String] {
        var fields = ["CALL_ID": request.callId]
        if let sid { fields["TWILIO_CALL_SID"] = sid }
        return fields
    }

    func cancelTimer() {
        timer?.cancel()
        timer = nil
    }
}
