import Shared

/// Twilio's webhooks (reference §1.2 #14–15, §5; docs/TWILIO.md), public and exempt from the
/// per-IP rate limit (`GatewayPipeline`), each checked in this order:
/// 1. Twilio configured (`Config.twilio`), else 404;
/// 2. `Content-Type: application/x-www-form-urlencoded`, else 415;
/// 3. `X-Twilio-Signature` present, else 403; the body decodes (`FormURLEncoded`), else 400;
///    the signature is valid for `IBRAT_PUBLIC_URL` + path + query (`TwilioSignature`), else 403;
///    not an exact replay of a request already applied (`TwilioReplayGuard`), else 403;
/// 4. `CallSid` and (status webhook) `CallStatus` present, else 400;
/// then the facts go to the dialer-daemon as `dialer.provider_event` (the call owner applies them).
/// - `POST /api/calls/webhook/status` → 200 empty TwiML;
/// - `POST /api/calls/webhook/answer` → TwiML (`text/xml`) dialing the operator's phone, or a
///   short apology and `<Hangup/>` when the dialer reports no operator phone.
/// Dialer errors pass through: unknown sid 404 `Call log not found`, dialer down 503.
/// A refused request changes nothing and is logged at warning level.
public struct TwilioWebhookRoutes: RouteModule {
    public static let statusPath = TwilioSettings.statusPath
    public static let answerPath = TwilioSettings.answerPath
    /// Largest webhook body accepted (Twilio's are about 1 KiB).
    public static let bodyLimit = 64 << 10
    static let command = ProviderEventBody.command
    /// Twilio's `CallStatus` an answer webhook stands for when it carries none.
    static let answeredStatus = "in-progress"

    let ctx: GatewayContext
    let replays: TwilioReplayGuard

    public init(ctx: GatewayContext, replays: TwilioReplayGuard? = nil) {
        self.ctx = ctx
        self.replays = replays ?? TwilioReplayGuard(clock: ctx.clock)
    }

    public func register(on router: Router) {
        ctx.route(router, "POST", Self.statusPath, access: .public, bodyLimit: Self.bodyLimit) { req, res in
            handle(req, res, answer: false)
        }
        ctx.route(router, "POST", Self.answerPath, access: .public, bodyLimit: Self.bodyLimit) { req, res in
            handle(req, res, answer: true)
        }
    }

    /// Room above the abandon wait for the dialer's answer to a held answer webhook.
    static let answerHoldMarginMillis = 1000

    func handle(_ request: HTTPRequest, _ responder: HTTPResponder, answer: Bool) {
        guard let settings = ctx.config.twilio else {
            return ctx.fail(responder, HTTPError.notFound("Not Found", message: "Twilio is not configured"))
        }
        let signature: String
        let body: ProviderEventBody
        do {
            (signature, body) = try verified(request, settings, answer: answer)
        } catch {
            if let refusal = error as? HTTPError {
                ctx.logger.warning("Twilio webhook refused (\(refusal.status)): \(refusal.messageText)",
                                   ctx.logFields(request, ["REMOTE_ADDR": request.remoteAddress]))
            }
            return ctx.fail(responder, error)
        }
        // Issue 14: a predictive call's answer waits up to the abandon wait for an operator.
        let timeout = Double(max(ctx.config.ipcTimeoutMillis, ctx.config.pacing.abandonWaitMillis + Self.answerHoldMarginMillis)) / 1000
        ctx.dialer.request(body, timeout: answer ? timeout : nil) { [ctx, replays] result in
            switch result {
            case .success(let reply):
                responder.send(Self.twiml(reply, answer: answer, settings: settings,
                                          apology: ctx.config.pacing.abandonMessage))
            case .failure(let error):
                replays.forget(signature)
                if error.status >= 500 {
                    ctx.logger.warning("\(Self.command.rawValue) failed: \(error)", ctx.logFields(request, ["IPC_TYPE": Self.command.rawValue]))
                }
                ctx.fail(responder, error)
            }
        }
    }

    /// Checks steps 2–4 and returns the signature and the command body; throws the HTTPError to send.
    func verified(_ request: HTTPRequest, _ settings: TwilioSettings, answer: Bool) throws -> (String, ProviderEventBody) {
        guard FormURLEncoded.isFormContentType(request.header("Content-Type")) else {
            throw HTTPError(415, error: "Unsupported Media Type",
                            message: "Twilio webhooks must be \(FormURLEncoded.mediaType)")
        }
        guard let signature = request.header(TwilioSignature.headerName), !signature.isEmpty else {
            throw HTTPError.forbidden("Forbidden", message: "Missing \(TwilioSignature.headerName)")
        }
        let params: [(String, String)]
        do {
            params = try FormURLEncoded.decode(request.body)
        } catch {
            throw HTTPError.badRequest("Malformed form body", message: "The webhook body is not valid form data: \(error)")
        }
        let url = TwilioSignature.fullURL(publicURL: settings.publicURL, request: request)
        guard TwilioSignature.isValid(signature, authToken: settings.authToken, url: url, params: params) else {
            throw HTTPError.forbidden("Forbidden", message: "Invalid \(TwilioSignature.headerName)")
        }
        guard replays.admit(signature) else {
            throw HTTPError.forbidden("Forbidden", message: "This Twilio request was already received")
        }
        func param(_ name: String) -> String? {
            params.first(where: { $0.0 == name }).map(\.1).flatMap { $0.isEmpty ? nil : $0 }
        }
        let callSid = param("CallSid")
        let callStatus = param("CallStatus") ?? (answer ? Self.answeredStatus : nil)
        for (name, value) in [("CallSid", callSid), ("CallStatus", callStatus)] where value == nil {
            replays.forget(signature)
            throw HTTPError.badRequest("Malformed form body", message: "\(name) is required")
        }
        let body = ProviderEventBody(callSid: callSid ?? "", callStatus: callStatus ?? "", callDuration: param("CallDuration"),
                                     answeredBy: param("AnsweredBy"), errorCode: param("ErrorCode"),
                                     errorMessage: param("ErrorMessage"), timestamp: param("Timestamp"),
                                     webhook: answer ? .answer : .status)
        return (signature, body)
    }

    /// The TwiML answer to a successful `dialer.provider_event`.
    /// Issue 14: `hangUp` (a machine answered) hangs up without a word; no operator → `apology`
    /// (the abandoned-call message with the company name and call-back number) and hang up.
    static func twiml(_ reply: JSONObject, answer: Bool, settings: TwilioSettings,
                      apology: String = TwilioTwiML.apologySentence) -> HTTPResponse {
        guard answer else { return .text(200, TwilioTwiML.empty, contentType: TwilioTwiML.contentType) }
        if reply["hangUp"]?.bool == true { return .text(200, TwilioTwiML.hangUp, contentType: TwilioTwiML.contentType) }
        guard let phone = reply["operatorPhone"]?.string, !phone.isEmpty else {
            return .text(200, TwilioTwiML.say(apology), contentType: TwilioTwiML.contentType)
        }
        return .text(200, TwilioTwiML.connect(operatorPhone: phone, callerId: settings.from,
                                              timeoutSeconds: settings.ringTimeoutSeconds),
                     contentType: TwilioTwiML.contentType)
    }
}

private extension HTTPError {
    var messageText: String { (try? JSON.parse(response.body))?["message"]?.string ?? "" }
}
