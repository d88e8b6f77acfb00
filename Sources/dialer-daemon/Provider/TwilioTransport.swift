import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// How the Twilio provider talks HTTP: a `TwilioTransport` sends one request and reports a
/// `TwilioHTTPResult` on any thread (the provider posts it back to its loop). The result
/// separates what matters for retries: a response; a failure where nothing reached Twilio
/// (connection refused, DNS, TLS handshake — safe to retry); and a failure after the request may
/// have been sent (timeout, connection lost — retrying could place a second call).
/// `URLSessionTwilioTransport` is the real one, on the toolchain's URLSession (FoundationNetworking);
/// tests script their own.
protocol TwilioTransport: AnyObject {
    func send(_ request: TwilioHTTPRequest, completion: @escaping @Sendable (TwilioHTTPResult) -> Void)
}

/// One REST request (form-encoded body, basic auth already in `headers`).
struct TwilioHTTPRequest: Equatable, Sendable {
    var method: String
    var url: String
    var headers: [String: String]
    var body: [UInt8]
}

enum TwilioHTTPResult: Equatable, Sendable {
    /// Twilio (or something in front of it) answered.
    case response(status: Int, body: [UInt8])
    /// Nothing reached Twilio; the request may be repeated.
    case notSent(String)
    /// The request may have reached Twilio but no answer came; its outcome is unknown.
    case unknownOutcome(String)
}

/// `TwilioTransport` on URLSession: an ephemeral session (no cookies, no cache), a
/// `TwilioLimits.requestTimeoutSeconds` timeout, redirects not followed.
/// `@unchecked Sendable`: `session` is assigned once in `init` (it needs `self` as delegate), then only read.
final class URLSessionTwilioTransport: NSObject, TwilioTransport, URLSessionTaskDelegate, @unchecked Sendable {
    private var session: URLSession!

    init(timeout: Double = TwilioLimits.requestTimeoutSeconds) {
        super.init()
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        session = URLSession(configuration: configuration, delegate: self, delegateQueue: nil)
    }

    func send(_ request: TwilioHTTPRequest, completion: @escaping @Sendable (TwilioHTTPResult) -> Void) {
        guard let url = URL(string: request.url) else {
            return completion(.notSent("invalid URL \(request.url)"))
        }
        var urlRequest = URLRequest(url: url)
        urlRequest.httpMethod = request.method
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        if !request.body.isEmpty || request.method == "POST" { urlRequest.httpBody = Data(request.body) }
        session.dataTask(with: urlRequest) { data, response, error in
            if let error {
                return completion(Self.classify(error))
            }
            guard let http = response as? HTTPURLResponse else {
                return completion(.unknownOutcome("no HTTP response"))
            }
            completion(.response(status: http.statusCode, body: data.map { [UInt8]($0) } ?? []))
        }.resume()
    }

    /// Refuses redirects: Twilio's API does not redirect, and a redirected POST could repeat it.
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        completionHandler(nil)
    }

    /// Errors raised before anything was written to the connection are `notSent`; every other
    /// error (timeouts included: curl cannot tell a slow connect from a slow answer) is unknown.
    static func classify(_ error: Error) -> TwilioHTTPResult {
        let text = (error as NSError).localizedDescription
        guard let urlError = error as? URLError else { return .unknownOutcome(text) }
        switch urlError.code {
        case .cannotConnectToHost, .cannotFindHost, .dnsLookupFailed, .notConnectedToInternet,
             .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
             .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot, .clientCertificateRejected,
             .badURL, .unsupportedURL:
            return .notSent(text)
        default:
            return .unknownOutcome(text)
        }
    }
}
