/// A Socket.IO v5 packet: `<type>[<#attachments>-][<namespace>,][<ack id>][JSON]`, carried as the
/// text of an Engine.IO message (`4` + this). The namespace is omitted on the wire when it is `/`.
/// Builders cover what the server sends (`40{"sid":…}`, `44{"message":…}`, `42[…]`, `43…[…]`,
/// `41`); decoding (in `SocketIOPacketDecoder.swift`) covers what clients send. Binary packets
/// (types 5 BINARY_EVENT and 6 BINARY_ACK, `51-["ev",{"_placeholder":true,"num":0}]`) carry
/// `attachments`: each travels after the packet as its own binary Engine.IO message, and the
/// JSON holds a placeholder where each was. `event` and `ack` build them when given attachments.
import Shared

enum SocketIOPacketType: UInt8, CaseIterable, Sendable {
    case connect = 0, disconnect, event, ack, connectError, binaryEvent, binaryAck

    var digit: UInt8 { UInt8(ascii: "0") + rawValue }
    var isBinary: Bool { self == .binaryEvent || self == .binaryAck }
}

struct SocketIOPacket: Equatable, Sendable {
    var type: SocketIOPacketType
    var namespace: String
    var ackId: Int64?
    var data: JSON?
    /// Binary packets: the attachments announced in the header (`51-`), as decoded.
    var attachmentCount = 0
    /// Binary packets: the attachments' bytes, in placeholder order (filled by the socket as
    /// they arrive; set by the builders for what the server sends).
    var attachments: [[UInt8]] = [] {
        didSet { attachmentCount = attachments.count }
    }

    init(_ type: SocketIOPacketType, namespace: String = SocketIOLimits.defaultNamespace,
         ackId: Int64? = nil, data: JSON? = nil, attachments: [[UInt8]] = []) {
        self.type = type
        self.namespace = namespace
        self.ackId = ackId
        self.data = data
        self.attachments = attachments
        attachmentCount = attachments.count
    }

    /// The JSON that stands for attachment `num` in a binary packet's data.
    static func placeholder(_ num: Int) -> JSON {
        .object(JSONObject([("_placeholder", .bool(true)), ("num", .int(Int64(num)))]))
    }

    // MARK: Builders

    /// CONNECT as a client sends it (`40`, `40{"token":"x"}`).
    static func connect(namespace: String = SocketIOLimits.defaultNamespace, auth: JSONObject? = nil) -> SocketIOPacket {
        SocketIOPacket(.connect, namespace: namespace, data: auth.map(JSON.object))
    }

    /// The server's acceptance, `40{"sid":"…"}` (a bare `40` is rejected by socket.io-client 4).
    static func connected(sid: String, namespace: String = SocketIOLimits.defaultNamespace) -> SocketIOPacket {
        SocketIOPacket(.connect, namespace: namespace, data: ["sid": .string(sid)])
    }

    /// The server's refusal, `44{"message":"Not authorized"}`.
    static func connectError(_ message: String, namespace: String = SocketIOLimits.defaultNamespace) -> SocketIOPacket {
        SocketIOPacket(.connectError, namespace: namespace, data: ["message": .string(message)])
    }

    static func disconnect(namespace: String = SocketIOLimits.defaultNamespace) -> SocketIOPacket {
        SocketIOPacket(.disconnect, namespace: namespace)
    }

    /// EVENT `42["name",arg…]`, asking for an ack when `ackId` is given; a BINARY_EVENT when
    /// `attachments` are given (the arguments hold their placeholders).
    static func event(_ name: String, _ arguments: [JSON] = [], namespace: String = SocketIOLimits.defaultNamespace,
                      ackId: Int64? = nil, attachments: [[UInt8]] = []) -> SocketIOPacket {
        SocketIOPacket(attachments.isEmpty ? .event : .binaryEvent, namespace: namespace, ackId: ackId,
                       data: .array([.string(name)] + arguments), attachments: attachments)
    }

    /// ACK `43<id>[arg…]`, answering the event that carried `id`; a BINARY_ACK with `attachments`.
    static func ack(_ id: Int64, _ arguments: [JSON] = [], namespace: String = SocketIOLimits.defaultNamespace,
                    attachments: [[UInt8]] = []) -> SocketIOPacket {
        SocketIOPacket(attachments.isEmpty ? .ack : .binaryAck, namespace: namespace, ackId: id,
                       data: .array(arguments), attachments: attachments)
    }

    // MARK: Accessors

    /// The event name of an EVENT packet.
    var eventName: String? {
        guard type == .event || type == .binaryEvent else { return nil }
        return data?.array?.first?.string
    }

    /// The arguments after the event name (EVENT), or all array items (ACK).
    var arguments: [JSON] {
        guard let items = data?.array else { return [] }
        return type == .event || type == .binaryEvent ? Array(items.dropFirst()) : items
    }

    /// The auth object of a CONNECT packet (`40{"token":"x"}`), nil when absent.
    var auth: JSONObject? { type == .connect ? data?.object : nil }

    // MARK: Encoding

    /// Appends the wire form to `out`.
    func encode(into out: inout [UInt8]) {
        out.append(type.digit)
        if type.isBinary {
            out.append(contentsOf: String(attachmentCount).utf8)
            out.append(UInt8(ascii: "-"))
        }
        if namespace != SocketIOLimits.defaultNamespace {
            out.append(contentsOf: namespace.utf8)
            out.append(UInt8(ascii: ","))
        }
        if let ackId { out.append(contentsOf: String(ackId).utf8) }
        data?.serialize(into: &out)
    }

    /// The wire form, ready to be wrapped in an Engine.IO message.
    var encoded: String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        encode(into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The Engine.IO message carrying this packet.
    var engineIOPacket: EngineIOPacket { .message(encoded) }
}
