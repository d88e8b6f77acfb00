/// Which time zones a lead is in (issue 12): an explicit IANA name wins (`explicit`); otherwise
/// the phone number decides: for `+1` the area code (`NANPAreaCodeTable`, source `number`), for
/// any other number its calling code's countries and their zones from tzdata (`country`).
/// Where nothing maps, the zone is unknown and the lead is not dialed automatically. Pure: the
/// country table is injected; results are cached per calling-code prefix by the caller if needed.

enum TimeZoneSource: String, Equatable {
    case explicit
    case number
    case country
    /// Resolved and nothing matched (stored so a restart does not resolve it again).
    case unknown
}

/// A lead's zones as stored: `leads.timezone` (zones joined by `,`) and `leads.timezone_source`.
struct ResolvedTimeZone: Equatable {
    static let separator: Character = ","

    let zones: [String]
    let source: TimeZoneSource

    static let unknown = ResolvedTimeZone(zones: [], source: .unknown)

    var isKnown: Bool { !zones.isEmpty }
    /// The `leads.timezone` column: NULL when unknown.
    var column: String? { zones.isEmpty ? nil : zones.joined(separator: String(Self.separator)) }

    /// Reads the two columns back; an unknown or unreadable pair is `unknown`.
    init(column: String?, source: String?) {
        let zones = column.map { $0.split(separator: Self.separator).map(String.init) } ?? []
        guard let source = source.flatMap(TimeZoneSource.init(rawValue:)), source != .unknown, !zones.isEmpty else {
            self = .unknown
            return
        }
        self.init(zones: zones, source: source)
    }

    init(zones: [String], source: TimeZoneSource) {
        self.zones = zones
        self.source = zones.isEmpty ? .unknown : source
    }
}

struct TimeZoneResolver {
    let countries: CountryZoneTable

    init(countries: CountryZoneTable) {
        self.countries = countries
    }

    /// The zones of a lead: `explicit` (already validated) when given, else from `phone` (E.164).
    func resolve(phone: String, explicit: String? = nil) -> ResolvedTimeZone {
        if let explicit, !explicit.isEmpty { return ResolvedTimeZone(zones: [explicit], source: .explicit) }
        return resolve(phone: phone)
    }

    /// The zones `phone` (`+` and digits) maps to; `unknown` when none.
    func resolve(phone: String) -> ResolvedTimeZone {
        guard phone.first == "+" else { return .unknown }
        let digits = phone.dropFirst()
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return .unknown }
        if digits.first == "1" {
            guard digits.count >= 4, let zones = NANPAreaCodeTable.zones[String(digits.dropFirst().prefix(3))] else {
                return .unknown
            }
            return ResolvedTimeZone(zones: zones, source: .number)
        }
        guard let codes = CallingCodeTable.countries(forDigits: digits) else { return .unknown }
        var zones: [String] = []
        for code in codes {
            for zone in countries.zones(forCountry: code) where !zones.contains(zone) { zones.append(zone) }
        }
        return ResolvedTimeZone(zones: zones, source: .country)
    }
}

/// `TimeZoneResolver.resolve(phone:)` remembered per leading digits: the zones of a number depend
/// only on its first `keyDigits` digits (calling codes have at most 4 digits; `+1` and its area
/// code are 4), so a 165,000-row import resolves each prefix once. Not thread-safe: one per import.
struct TimeZoneMemo {
    static let keyDigits = 4

    let resolver: TimeZoneResolver
    private var memo: [UInt32: (column: String?, source: String)] = [:]

    init(resolver: TimeZoneResolver) {
        self.resolver = resolver
    }

    /// The `timezone` and `timezone_source` columns for a lead with `phone` and optional explicit zone.
    mutating func columns(phone: String, explicit: String?) -> (column: String?, source: String) {
        if let explicit, !explicit.isEmpty { return (explicit, TimeZoneSource.explicit.rawValue) }
        var key: UInt32 = 0
        var count = 0
        for byte in phone.utf8.dropFirst() {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), count < Self.keyDigits else { break }
            key = key * 10 + UInt32(byte - UInt8(ascii: "0"))
            count += 1
        }
        // Fewer than keyDigits digits, or not a + number: not memoised (never on the import path).
        guard count == Self.keyDigits, phone.utf8.first == UInt8(ascii: "+") else {
            let zone = resolver.resolve(phone: phone)
            return (zone.column, zone.source.rawValue)
        }
        if let found = memo[key] { return found }
        let zone = resolver.resolve(phone: phone)
        let columns = (zone.column, zone.source.rawValue)
        memo[key] = columns
        return columns
    }
}
