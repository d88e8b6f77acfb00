import Shared

/// Which provider places the calls (docs/TWILIO.md): Twilio when `Config.twilio` is set (account
/// SID, auth token, caller id and public URL all configured), the simulation otherwise. The
/// choice also fixes the caller id stored on every call (`IBRAT_TWILIO_FROM`, or the simulation's
/// constant). `attach` wires what only Twilio needs once the call manager exists: the
/// `dialer.provider_event` command, the end reason of abandoned calls, and ending at Twilio the
/// calls a crashed process left live.
struct ProviderSelection {
    let provider: CallProvider
    /// The same object as `provider` when it is Twilio.
    let twilio: TwilioProvider?
    /// `from_number` of every call placed.
    let callerId: String

    static func make(config: Config, loop: EventLoop, logger: Logger, profile: SimulationProfile, seed: UInt64,
                     twilioTransport: TwilioTransport? = nil, twilioTiming: TwilioTiming = .standard) -> ProviderSelection {
        guard let settings = config.twilio else {
            let simulated = SimulatedProvider(loop: loop, profile: profile, seed: seed)
            return ProviderSelection(provider: simulated, twilio: nil, callerId: DialerLimits.simulatedCallerId)
        }
        let twilio = TwilioProvider(settings: settings, loop: loop, logger: logger,
                                    transport: twilioTransport ?? URLSessionTwilioTransport(), timing: twilioTiming)
        logger.notice("Calls are placed through Twilio", [
            "TWILIO_ACCOUNT_SID": settings.accountSid, "TWILIO_FROM": settings.from,
            "TWILIO_API_BASE": settings.apiBase, "PUBLIC_URL": settings.publicURL,
            "TWILIO_CPS": String(settings.callsPerSecond), "TWILIO_RING_TIMEOUT": String(settings.ringTimeoutSeconds),
        ])
        return ProviderSelection(provider: twilio, twilio: twilio, callerId: settings.from)
    }

    /// Which live rows a restart keeps live: with Twilio, the calls Twilio accepted (a call sid):
    /// they go on at Twilio whatever happened to this process.
    func adoptsAfterRestart(_ call: CallRecord) -> Bool {
        guard twilio != nil, let sid = call.twilioCallSid else { return false }
        return TwilioLimits.isCallSid(sid)
    }

    /// Registers the webhook handler with `commands`, ends `recovered` calls at Twilio and hands
    /// the `adopted` ones to the provider, which asks Twilio for their status at once.
    /// Without Twilio, `dialer.provider_event` answers 409 `provider_not_twilio`.
    func attach(to commands: DialerCommands, manager: CallManager, recovered: [CallRecord], adopted: [CallRecord] = [],
                logger: Logger) {
        guard let twilio else { return }
        let handler = TwilioWebhookHandler(provider: twilio, manager: manager, logger: logger)
        commands.providerEvents = { command, reply in handler.handle(command, reply) }
        twilio.finalEventOverride = { [weak manager] callId, event in
            guard let manager, manager.isAbandoned(callId: callId) else { return false }
            manager.twilioEndedAbandoned(callId: callId, event)
            return true
        }
        twilio.endOrphans(recovered)
        for call in adopted {
            guard let sid = call.twilioCallSid else { continue }
            let request = CallRequest(callId: call.id, to: call.to, from: call.from)
            twilio.adopt(request, sid: sid, answered: call.answerTime != nil) { [weak manager] event in
                manager?.providerReported(callId: call.id, event)
            }
        }
    }

    /// The answer to `dialer.provider_event` when the simulation places the calls.
    static let notTwilio = IPCError.conflict(code: .providerNotTwilio, error: "Twilio is not configured",
                                             message: "dialer-daemon places calls with the simulation; "
                                                 + "Twilio webhooks cannot apply")
}
