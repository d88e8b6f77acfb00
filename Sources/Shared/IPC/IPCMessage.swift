/// The IPC envelope (DESIGN §3, docs/IPC.md "Envelope"):
/// `{"v":1,"type":T,"id":N,"re":null|N,"body":{...}}`. Required keys missing or of the wrong type
/// are rejected, `v` must be 1, unknown keys are ignored. `re` is the id of the request a `reply`,
/// `error` or `hello` answer refers to; commands and events carry no `re`.
public struct IPCMessage: Equatable, Sendable {
    public static let helloType = "hello"
    public static let replyType = "reply"
    public static let errorType = "error"
    public static let subscribeType = "subscribe"
    public static let eventPrefix = "event."

    public var v: Int64
    public var type: String
    public var id: Int64
    public var re: Int64?
    public var body: JSONObject
    /// Set instead of `body` for a request taken as bytes (`IPCRawRequest`); nil otherwise.
    public var raw: IPCRawRequest?

    public init(type: String, id: Int64, re: Int64? = nil, body: JSONObject = JSONObject(),
                v: Int64 = IPCLimits.protocolVersion) {
        self.v = v
        self.type = type
        self.id = id
        self.re = re
        self.body = body
    }

    /// Validates an already parsed envelope.
    public init(json: JSON) throws {
        guard let object = json.object else { throw IPCProtocolError.invalidEnvelope("not a JSON object") }
        guard let v = object["v"]?.int else { throw IPCProtocolError.invalidEnvelope("\"v\" must be an integer") }
        guard v == IPCLimits.protocolVersion else { throw IPCProtocolError.unsupportedVersion(v) }
        guard case .string(let type)? = object["type"], !type.isEmpty else {
            throw IPCProtocolError.invalidEnvelope("\"type\" must be a non-empty string")
        }
        guard case .int(let id)? = object["id"] else { throw IPCProtocolError.invalidEnvelope("\"id\" must be an integer") }
        var re: Int64?
        switch object["re"] {
        case nil, .null?: re = nil
        case .int(let value)?: re = value
        default: throw IPCProtocolError.invalidEnvelope("\"re\" must be null or an integer")
        }
        guard case .object(let body)? = object["body"] else {
            throw IPCProtocolError.invalidEnvelope("\"body\" must be an object")
        }
        self.init(type: type, id: id, re: re, body: body, v: v)
    }

    /// Parses a frame body (UTF-8 JSON) into an envelope.
    public init(frameBody: [UInt8]) throws {
        let json: JSON
        do {
            json = try JSON.parse(frameBody)
        } catch {
            throw IPCProtocolError.invalidJSON("\(error)")
        }
        try self.init(json: json)
    }

    public var json: JSON {
        .object(JSONObject([("v", .int(v)), ("type", .string(type)), ("id", .int(id)),
                            ("re", JSON.from(re)), ("body", .object(body))]))
    }

    /// The complete frame: 4-byte big-endian length, then the JSON envelope.
    public func encoded() -> [UInt8] {
        var frame: [UInt8] = [0, 0, 0, 0]
        frame.reserveCapacity(128)
        json.serialize(into: &frame)
        IPCFrameEncoder.patchHeader(of: &frame)
        return frame
    }

    /// The frame of a request whose body is already serialised: `rawBody` must be one JSON
    /// object (the caller built it with `JSONSerializer`); it is copied in as it is. Lets a worker
    /// thread serialise a large body (a CSV import chunk) without building a `JSON` tree first.
    public static func encodedRequest(type: String, id: Int64, rawBody: [UInt8]) -> [UInt8] {
        var frame: [UInt8] = [0, 0, 0, 0]
        frame.reserveCapacity(64 + type.utf8.count + rawBody.count)
        JSONSerializer.appendLiteral("{\"v\":", into: &frame)
        JSONSerializer.writeInt(IPCLimits.protocolVersion, into: &frame)
        JSONSerializer.appendLiteral(",\"type\":", into: &frame)
        JSONSerializer.writeString(type, into: &frame)
        JSONSerializer.appendLiteral(",\"id\":", into: &frame)
        JSONSerializer.writeInt(id, into: &frame)
        JSONSerializer.appendLiteral(",\"re\":null,\"body\":", into: &frame)
        frame.append(contentsOf: rawBody)
        frame.append(UInt8(ascii: "}"))
        IPCFrameEncoder.patchHeader(of: &frame)
        return frame
    }

    public var isEvent: Bool { type.hasPrefix(IPCMessage.eventPrefix) }

    // MARK: Building answers

    /// A `reply` to `request` carrying `body`.
    public static func reply(to requestID: Int64, id: Int64, body: JSONObject) -> IPCMessage {
        IPCMessage(type: replyType, id: id, re: requestID, body: body)
    }

    /// An `error` answer to `requestID` (nil when the offending frame had no readable id).
    public static func error(to requestID: Int64?, id: Int64, _ error: IPCError) -> IPCMessage {
        IPCMessage(type: errorType, id: id, re: requestID, body: error.body)
    }
}
