import Shared

/// Reads a request body as a JSON object (DESIGN §6): the media type must be
/// `application/json` (parameters such as `charset` allowed) else 415; bytes that do not parse
/// give 400 `Invalid JSON` with the parser's detail; a value that is not an object gives 400.
/// An empty body is an empty object only when the caller allows it (bodiless POSTs such as
/// logout); otherwise it is `Invalid JSON`.
public enum JSONBody {
    public static let mediaType = "application/json"

    /// 415 `{"error":"Unsupported Media Type","message":"Content-Type must be application/json"}`.
    public static let unsupportedMediaType = HTTPError(415, error: "Unsupported Media Type",
                                                       message: "Content-Type must be application/json")

    /// The body's JSON object, or the error response to send.
    public static func object(of request: HTTPRequest, allowEmpty: Bool = false) -> Result<JSONObject, HTTPError> {
        if request.body.isEmpty && allowEmpty { return .success(JSONObject()) }
        guard let contentType = request.header("Content-Type"), isJSONMediaType(contentType) else {
            return .failure(unsupportedMediaType)
        }
        let value: JSON
        do {
            value = try JSON.parse(request.body)
        } catch let error as JSONParseError {
            return .failure(HTTPError(400, error: "Invalid JSON", message: error.description))
        } catch {
            return .failure(HTTPError(400, error: "Invalid JSON", message: "The request body is not valid JSON"))
        }
        guard case .object(let object) = value else {
            return .failure(HTTPError(400, error: "Invalid JSON", message: "The request body must be a JSON object"))
        }
        return .success(object)
    }

    /// `application/json`, any case, optionally followed by `;` parameters.
    public static func isJSONMediaType(_ value: String) -> Bool {
        let essence = value.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let trimmed = essence.trimmingASCIISpaces()
        return HTTPHeaders.namesEqual(trimmed, mediaType)
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    func trimmingASCIISpaces() -> Substring {
        var s = self
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return s
    }
}
