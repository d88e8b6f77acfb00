/// Parses header values of the form `type/subtype; name=value; name="quoted \"value\""` (RFC 9110
/// §5.6.6), as used by `Content-Type` and `Content-Disposition`. Parameter names are lower-cased;
/// values keep their case. Malformed parameters are skipped rather than failing the whole header.
public struct HeaderParameters: Sendable, Equatable {
    /// The part before the first `;`, trimmed and lower-cased (`multipart/form-data`, `form-data`).
    public let value: String
    public let parameters: [(name: String, value: String)]

    public static func == (a: HeaderParameters, b: HeaderParameters) -> Bool {
        a.value == b.value && a.parameters.elementsEqual(b.parameters, by: { $0 == $1 })
    }

    /// The first parameter called `name` (case-insensitive).
    public subscript(name: String) -> String? {
        let key = name.lowercased()
        return parameters.first { $0.name == key }?.value
    }

    public init(parsing header: String) {
        let u = Array(header.utf8)
        var i = 0
        func skipSpace() { while i < u.count && (u[i] == 0x20 || u[i] == 0x09) { i += 1 } }
        let valueEnd = u.firstIndex(of: UInt8(ascii: ";")) ?? u.count
        value = ParsingText.trim(String(decoding: u[0..<valueEnd], as: UTF8.self)).lowercased()
        i = valueEnd
        var params: [(name: String, value: String)] = []
        while i < u.count {
            // At a ';' (or garbage): move past it.
            i += 1
            skipSpace()
            let nameStart = i
            while i < u.count && u[i] != UInt8(ascii: "=") && u[i] != UInt8(ascii: ";") { i += 1 }
            let name = ParsingText.trim(String(decoding: u[nameStart..<i], as: UTF8.self)).lowercased()
            guard i < u.count, u[i] == UInt8(ascii: "=") else { continue }
            i += 1
            skipSpace()
            var bytes: [UInt8] = []
            if i < u.count && u[i] == UInt8(ascii: "\"") {
                i += 1
                var closed = false
                while i < u.count {
                    let c = u[i]
                    if c == UInt8(ascii: "\\") && i + 1 < u.count {
                        bytes.append(u[i + 1])
                        i += 2
                    } else if c == UInt8(ascii: "\"") {
                        i += 1
                        closed = true
                        break
                    } else {
                        bytes.append(c)
                        i += 1
                    }
                }
                while i < u.count && u[i] != UInt8(ascii: ";") { i += 1 }
                guard closed else { continue }
                if !name.isEmpty { params.append((name, String(decoding: bytes, as: UTF8.self))) }
            } else {
                let start = i
                while i < u.count && u[i] != UInt8(ascii: ";") { i += 1 }
                bytes = Array(u[start..<i])
                let v = ParsingText.trim(String(decoding: bytes, as: UTF8.self))
                if !name.isEmpty { params.append((name, v)) }
            }
        }
        parameters = params
    }
}
