/// Every protocol limit of the HTTP/1.1 server as a named constant (DESIGN §6 "Limits").
/// Each one has a test in `Tests/GatewayTests/HTTPParserLimitsTests.swift`.
public enum HTTPLimits {
    /// Longest request line (method, target, version) before the parser answers 414.
    public static let maxRequestLineBytes = 8 * 1024
    /// Largest header section (all field lines after the request line, CRLFs included) → 431.
    public static let maxHeaderSectionBytes = 16 * 1024
    /// Most header fields in one request → 431.
    public static let maxHeaderCount = 100
    /// Default body limit (JSON bodies) → 413.
    public static let defaultBodyBytes = 1024 * 1024
    /// Body limit of the CSV upload route: 10 MiB of file plus room for the multipart framing.
    public static let uploadBodyBytes = 10 * 1024 * 1024 + multipartOverheadBytes
    /// Room for multipart boundaries and part headers around an uploaded file.
    public static let multipartOverheadBytes = 64 * 1024
    /// Longest chunk-size line (size, extensions) of a chunked body → 400.
    public static let maxChunkLineBytes = 4 * 1024
    /// Largest trailer section of a chunked body (accepted and dropped) → 431.
    public static let maxTrailerSectionBytes = 16 * 1024
    /// Most CR LF pairs tolerated before a request line (RFC 9112 §2.2) → 400.
    public static let maxLeadingEmptyLines = 8
}
