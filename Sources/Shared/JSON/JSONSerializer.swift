/// Compact JSON output, appended byte by byte into a `[UInt8]` (no Foundation). Object keys keep
/// `JSONObject` order; strings are escaped per RFC 8259 (`"`, `\`, control characters; `/` and
/// non-ASCII are written raw as UTF-8). Doubles: integral values within ±2^53 print without a
/// fraction ("3"), others via Swift's shortest round-trip `description`; NaN and ±inf print `null`.

public enum JSONSerializer {
    /// Largest magnitude at which an integral double still prints as an integer.
    public static let maxExactIntegralDouble: Double = 9_007_199_254_740_992 // 2^53

    static func write(_ value: JSON, into out: inout [UInt8]) {
        switch value {
        case .null: appendLiteral("null", into: &out)
        case .bool(let b): appendLiteral(b ? "true" : "false", into: &out)
        case .int(let i): writeInt(i, into: &out)
        case .double(let d): writeDouble(d, into: &out)
        case .string(let s): writeString(s, into: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            var first = true
            for item in items {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                write(item, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            var first = true
            for pair in object.pairs {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                writeString(pair.key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(pair.value, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    @inline(__always) public static func appendLiteral(_ s: StaticString, into out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// Decimal digits of an Int64 without going through String.
    public static func writeInt(_ value: Int64, into out: inout [UInt8]) {
        if value >= 0 && value < 10 {
            out.append(UInt8(ascii: "0") &+ UInt8(value))
            return
        }
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buf in
            var i = 20
            repeat {
                i -= 1
                buf[i] = UInt8(ascii: "0") &+ UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 { out.append(UInt8(ascii: "-")) }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[i..<20]))
        }
    }

    public static func writeDouble(_ d: Double, into out: inout [UInt8]) {
        guard d.isFinite else { appendLiteral("null", into: &out); return }
        if d.rounded(.towardZero) == d && d.magnitude <= maxExactIntegralDouble {
            writeInt(Int64(d), into: &out)
            return
        }
        out.append(contentsOf: d.description.utf8)
    }

    private static let hexDigits: StaticString = "0123456789abcdef"

    public static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { utf8 in
            var runStart = 0
            var i = 0
            let n = utf8.count
            while i < n {
                let c = utf8[i]
                if c >= 0x20 && c != 0x22 && c != 0x5C {
                    i += 1
                    continue
                }
                if i > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i])) }
                out.append(UInt8(ascii: "\\"))
                switch c {
                case 0x22: out.append(0x22)
                case 0x5C: out.append(0x5C)
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "t"))
                case 0x08: out.append(UInt8(ascii: "b"))
                case 0x0C: out.append(UInt8(ascii: "f"))
                default:
                    let hex = hexDigits.utf8Start
                    out.append(UInt8(ascii: "u"))
                    out.append(UInt8(ascii: "0"))
                    out.append(UInt8(ascii: "0"))
                    out.append(hex[Int(c >> 4)])
                    out.append(hex[Int(c & 0x0F)])
                }
                i += 1
                runStart = i
            }
            if n > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<n])) }
        }
        out.append(UInt8(ascii: "\""))
    }
}

extension JSON {
    /// Appends the compact encoding of this value to `out`.
    public func serialize(into out: inout [UInt8]) {
        JSONSerializer.write(self, into: &out)
    }

    /// The compact encoding as bytes.
    public func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        JSONSerializer.write(self, into: &out)
        return out
    }

    /// The compact encoding as a String.
    public var text: String { String(decoding: serialized(), as: UTF8.self) }
}
