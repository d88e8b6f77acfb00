/// Phone number normalisation to E.164 (`+<8–15 digits>`), for CSV imports and manually created
/// leads, so one number written two ways is one lead. Accepts digits with the usual separators
/// (spaces, tabs, no-break spaces, `-`, `.`, `(`, `)`) and one leading `+`; anything else → nil.
///
/// - `+…` or `00…`: international; the digits are kept as they are.
/// - otherwise national: one leading trunk `0` is dropped and the default country code prefixed,
///   unless the digits already start with the country code and have its full international length
///   (`998901234567`; for a country code without a known length, at least
///   `minNationalDigitsWhenUnknown` digits after it).
/// - A result in a country code with a known national number length (`nationalLengths`) must have
///   exactly that length (`+998 90 123 45 6` → nil).
public enum PhoneNumber {
    /// E.164 bounds on the digit count, country code included (`FieldRules.leadPhone`).
    public static let minDigits = FieldRules.leadPhone.limit.lowerBound
    public static let maxDigits = FieldRules.leadPhone.limit.upperBound

    /// National significant number lengths for the country codes this product is used with.
    public static let nationalLengths: [String: Int] = [
        "998": 9,  // Uzbekistan
        "992": 9,  // Tajikistan
        "996": 9,  // Kyrgyzstan
        "994": 9,  // Azerbaijan
        "993": 8,  // Turkmenistan
        "7": 10,   // Russia, Kazakhstan
        "1": 10,   // NANP
        "90": 10,  // Turkey
    ]

    /// For a country code without a `nationalLengths` entry, national digits that start with the
    /// country code count as already international when at least this many digits follow it.
    public static let minNationalDigitsWhenUnknown = 8

    /// The E.164 form of `raw`, or nil when it is not a plausible phone number. `defaultCountryCode`
    /// is 1–3 digits, with or without `+` (e.g. "998").
    public static func normalize(_ raw: String, defaultCountryCode: String) -> String? {
        // Most imported numbers are already E.164; then the answer is `raw` itself (the general
        // path below would rebuild the same string), without allocating.
        if isCountryCode(defaultCountryCode), let plausible = ParsingText.bytes(raw, { u -> Bool? in
            isE164(u) ? hasPlausibleLength(u[1...]) : nil
        }) {
            return plausible ? raw : nil
        }
        guard let cc = countryCodeDigits(defaultCountryCode) else { return nil }
        var digits: [UInt8] = []
        digits.reserveCapacity(16)
        var plus = false
        for scalar in raw.unicodeScalars {
            switch scalar.value {
            case 0x30...0x39:
                guard digits.count <= maxDigits + 2 else { return nil }
                digits.append(UInt8(scalar.value))
            case 0x2B:  // "+" only before any digit, once
                guard !plus, digits.isEmpty else { return nil }
                plus = true
            case 0x20, 0x09, 0xA0, 0x2D, 0x2E, 0x28, 0x29:  // space tab NBSP - . ( )
                continue
            default:
                return nil
            }
        }
        let zero = UInt8(ascii: "0")
        var international: ArraySlice<UInt8>
        if plus {
            international = digits[...]
        } else if digits.count >= 2 && digits[0] == zero && digits[1] == zero {
            international = digits.dropFirst(2)
        } else {
            var national = digits[...]
            let alreadyInternational: Bool
            if let knownLength = nationalLengths[String(decoding: cc, as: UTF8.self)] {
                alreadyInternational = national.starts(with: cc) && national.count == cc.count + knownLength
            } else {
                alreadyInternational = national.starts(with: cc) && national.count >= cc.count + minNationalDigitsWhenUnknown
            }
            if !alreadyInternational && national.first == zero { national = national.dropFirst() }
            international = alreadyInternational ? national : ArraySlice(cc) + national
        }
        guard international.count >= minDigits, international.count <= maxDigits,
              international.first != zero, hasPlausibleLength(international) else { return nil }
        return "+" + String(decoding: international, as: UTF8.self)
    }

    /// `nationalLengths` as byte strings, looked up once per number.
    private static let nationalLengthTable: [(code: [UInt8], length: Int)] =
        nationalLengths.map { (Array($0.key.utf8), $0.value) }

    /// Country codes are prefix-free, so at most one `nationalLengths` entry matches; when one does,
    /// the national part must have exactly that length.
    private static func hasPlausibleLength<Digits: Collection>(_ digits: Digits) -> Bool where Digits.Element == UInt8 {
        for entry in nationalLengthTable where digits.starts(with: entry.code) {
            return digits.count == entry.code.count + entry.length
        }
        return true
    }

    /// True when `value` is already in the normalised form this type produces.
    public static func isE164(_ value: String) -> Bool {
        ParsingText.bytes(value) { isE164($0) }
    }

    private static func isE164(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        guard u.count >= minDigits + 1, u.count <= maxDigits + 1, u[0] == UInt8(ascii: "+"),
              u[1] != UInt8(ascii: "0") else { return false }
        for i in 1..<u.count where !(u[i] >= UInt8(ascii: "0") && u[i] <= UInt8(ascii: "9")) { return false }
        return true
    }

    /// `+d…d` (1–15 digits) as one integer, the digits' value × 16 + their count (leading zeros
    /// stay distinct); nil for anything else. Cheap to hash and compare on bulk paths (a CSV
    /// import's duplicate check and insert order).
    public static func digitsKey(_ phone: String) -> UInt64? {
        ParsingText.bytes(phone) { u -> UInt64? in
            guard u.count >= 2, u.count <= maxDigits + 1, u[0] == UInt8(ascii: "+") else { return nil }
            var value: UInt64 = 0
            for byte in u[1...] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + UInt64(byte - UInt8(ascii: "0"))
            }
            return value << 4 | UInt64(u.count - 1)
        }
    }

    /// What `countryCodeDigits` accepts, without building the digits.
    private static func isCountryCode(_ code: String) -> Bool {
        ParsingText.bytes(code) { u in
            let digits = u.first == UInt8(ascii: "+") ? u[1...] : u[...]
            return (1...3).contains(digits.count) && digits.first != UInt8(ascii: "0")
                && digits.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        }
    }

    private static func countryCodeDigits(_ code: String) -> [UInt8]? {
        guard isCountryCode(code) else { return nil }
        return Array(code.utf8.drop { $0 == UInt8(ascii: "+") })
    }
}
