/// Checks a lead's explicit `timezone` (issue 12): an IANA zone name that the system's tzdata
/// knows (`Asia/Tashkent`, `America/New_York`, `UTC`), as Foundation's `TimeZone(identifier:)`
/// accepts it and with the same spelling back. Abbreviations and offsets (`EST`, `GMT+5`) are refused so a
/// stored zone always follows the zone's own rules (DST). Used by the gateway and the queue.

import Foundation

public enum TimeZoneName {
    public static let maxLength = 64

    /// The name, trimmed, when it is a valid IANA zone; nil otherwise.
    public static func validated(_ raw: String) -> String? {
        let name = raw.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.utf8.count <= maxLength,
              name.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
        guard name == "UTC" || name.contains("/") else { return nil }
        guard let zone = TimeZone(identifier: name), zone.identifier == name || name == "UTC" else { return nil }
        return name
    }

    /// The 400 message for an invalid name.
    public static func invalidMessage(_ raw: String, field: String = "timezone") -> String {
        let shown = raw.count > 40 ? String(raw.prefix(40)) + "…" : raw
        return "\"\(field)\" must be an IANA time zone name such as Asia/Tashkent, got \"\(shown)\""
    }
}
