/// One validation rule of one request field (issue 11, "one rule per field"): the field's wire
/// name, its limit, and the 400 message when a value breaks it. A rule is written once, in
/// `FieldRules`, and checked with the same code by the gateway (its 400 `Validation failed`) and
/// by the daemon that owns the data (its last check before the write), so the two cannot drift.
///
/// Lengths count **UTF-16 code units**: what the earlier version counted (JavaScript's
/// `String.length`, used by Joi's `string().max()` and Mongoose's `maxlength`) and what the web
/// console's `maxlength` attributes count, so a text the browser lets through is never refused for
/// its length. An emoji outside the Basic Multilingual Plane (😀) counts 2, `é` counts 1 whether
/// it is written as one scalar or not decomposed; a combining sequence counts each scalar.
public struct FieldRule: Sendable, Equatable {
    /// What `limit` bounds.
    public enum Measure: Sendable, Equatable {
        /// The text's length in UTF-16 code units (after the trimming the field gets).
        case utf16Length
        /// The number of items of an array.
        case itemCount
        /// An integer value.
        case integer
        /// The text is an email address of `EmailAddress`'s shape; `limit` bounds its length.
        case emailAddress
        /// The text is an E.164 number; `limit` bounds the digits after the `+`.
        case e164Digits
    }

    /// The field's name on the wire (`notes`, `value`, `tags`).
    public let field: String
    public let measure: Measure
    public let limit: ClosedRange<Int>
    /// The message after the quoted field name: `"notes" must be 0 to 1000 characters long`.
    public let phrase: String

    public init(_ field: String, _ measure: Measure, _ limit: ClosedRange<Int>, phrase: String) {
        self.field = field
        self.measure = measure
        self.limit = limit
        self.phrase = phrase
    }

    /// The 400 message naming the field.
    public var message: String { message(naming: field) }

    /// The message naming another spelling of the field (an array item: `"tags[3]" …`).
    public func message(naming name: String) -> String { "\"\(name)\" \(phrase)" }

    // MARK: Checks (nil when the value keeps the rule, else the message)

    /// `.utf16Length` / `.emailAddress` length: nil when `text` fits.
    public func violation(length text: String, naming name: String? = nil) -> String? {
        fits(text) ? nil : message(naming: name ?? field)
    }

    /// Whether `text`'s length lies in `limit`. The UTF-8 byte count bounds the UTF-16 count
    /// from above, so most texts are decided without counting code units.
    public func fits(_ text: String) -> Bool {
        if limit.lowerBound == 0 && text.utf8.count <= limit.upperBound { return true }
        return limit.contains(text.utf16.count)
    }

    /// `.itemCount`: nil when `count` lies in `limit`.
    public func violation(count: Int) -> String? { limit.contains(count) ? nil : message }

    /// `.integer`: nil when `value` lies in `limit`.
    public func violation(value: Int64) -> String? {
        value >= Int64(limit.lowerBound) && value <= Int64(limit.upperBound) ? nil : message
    }

    /// `limit` as `Int64` bounds (JSON integers).
    public var int64Limit: ClosedRange<Int64> { Int64(limit.lowerBound)...Int64(limit.upperBound) }

    /// `.emailAddress`: the normalised address (trimmed, lower-cased), or nil when it is not one.
    public func normalizedEmail(_ raw: String) -> String? {
        guard let email = EmailAddress.normalize(raw), limit.contains(email.utf8.count) else { return nil }
        return email
    }

    /// `.e164Digits`: whether `text` is `+` then a digit count in `limit`, and nothing else.
    public func isE164(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { u in
            u.count > 1 && u[0] == UInt8(ascii: "+") && limit.contains(u.count - 1)
                && u[1...].allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        }
    }
}
