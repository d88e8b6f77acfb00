import Foundation
import Synchronization

/// MongoDB-style ObjectIds as 24 lowercase hex characters: a 4-byte big-endian seconds
/// timestamp, 5 random bytes fixed for the life of the process, and a 3-byte counter that starts
/// at a random value. Ids generated later sort later (to the second), so they make good primary keys.
public enum ObjectID {
    /// Length of an id in hex characters.
    public static let length = 24

    private final class State: Sendable {
        let processBytes: (UInt8, UInt8, UInt8, UInt8, UInt8)
        let counter: Mutex<UInt32>

        init() {
            var g = SystemRandomNumberGenerator()
            let r = g.next() as UInt64
            processBytes = (UInt8(truncatingIfNeeded: r), UInt8(truncatingIfNeeded: r >> 8),
                            UInt8(truncatingIfNeeded: r >> 16), UInt8(truncatingIfNeeded: r >> 24),
                            UInt8(truncatingIfNeeded: r >> 32))
            counter = Mutex(UInt32.random(in: 0...0xFF_FFFF, using: &g))
        }

        /// `count` consecutive counter values (wrapping), reserved under one lock.
        func nextCounters(_ count: Int) -> UInt32 {
            counter.withLock { counter in
                let value = counter
                counter = (counter &+ UInt32(truncatingIfNeeded: count)) & 0xFF_FFFF
                return value
            }
        }
    }

    private static let state = State()

    /// A new id for the wall-clock time `nowMillis` (only the seconds go into the id).
    public static func generate(nowMillis: Int64) -> String {
        make(nowMillis: nowMillis, counter: state.nextCounters(1))
    }

    /// `count` new ids for `nowMillis`, in increasing order (one lock for all of them, for bulk
    /// inserts such as a CSV import).
    public static func generate(nowMillis: Int64, count: Int) -> [String] {
        guard count > 0 else { return [] }
        let first = state.nextCounters(count)
        return (0..<count).map { make(nowMillis: nowMillis, counter: (first &+ UInt32(truncatingIfNeeded: $0)) & 0xFF_FFFF) }
    }

    private static func make(nowMillis: Int64, counter: UInt32) -> String {
        let seconds = UInt32(truncatingIfNeeded: nowMillis >= 0 ? nowMillis / 1000 : 0)
        let p = state.processBytes
        let bytes: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (
            UInt8(truncatingIfNeeded: seconds >> 24), UInt8(truncatingIfNeeded: seconds >> 16),
            UInt8(truncatingIfNeeded: seconds >> 8), UInt8(truncatingIfNeeded: seconds),
            p.0, p.1, p.2, p.3, p.4,
            UInt8(truncatingIfNeeded: counter >> 16), UInt8(truncatingIfNeeded: counter >> 8),
            UInt8(truncatingIfNeeded: counter))
        return withUnsafeBytes(of: bytes) { raw in
            String(unsafeUninitializedCapacity: length) { out in
                let hex: StaticString = "0123456789abcdef"
                let digits = hex.utf8Start
                for i in 0..<12 {
                    out[2 * i] = digits[Int(raw[i] >> 4)]
                    out[2 * i + 1] = digits[Int(raw[i] & 0x0F)]
                }
                return length
            }
        }
    }

    /// True when `s` is exactly 24 characters of `[0-9a-f]`.
    public static func isValid(_ s: String) -> Bool {
        let utf8 = s.utf8
        guard utf8.count == length else { return false }
        for c in utf8 {
            guard (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "f"))
            else { return false }
        }
        return true
    }

    /// The seconds-since-epoch embedded in a valid id, nil otherwise.
    public static func seconds(of id: String) -> Int64? {
        guard isValid(id) else { return nil }
        var value: Int64 = 0
        for c in id.utf8.prefix(8) {
            let digit = c <= UInt8(ascii: "9") ? c - UInt8(ascii: "0") : c - UInt8(ascii: "a") + 10
            value = value << 4 | Int64(digit)
        }
        return value
    }
}
