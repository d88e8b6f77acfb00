/// ISO country → IANA zones, read once at start-up from the system's tzdata (DESIGN §11):
/// `zone1970.tab` (one row per zone, the countries it covers comma-separated), else `zone.tab`
/// (one row per country and zone). Parsing is pure (`parse`); `load` reads the first file that
/// exists. A missing file yields an empty table: every number is then of unknown zone unless its
/// area code says it (NANP) or the lead names its zone, and nothing is dialed by a guess.

import Foundation

struct CountryZoneTable: Equatable {
    /// Where Debian's `tzdata` installs the tables.
    static let defaultDirectory = "/usr/share/zoneinfo"
    static let fileNames = ["zone1970.tab", "zone.tab"]

    /// Country (upper-case ISO 3166 alpha-2) → zones, in file order.
    let zones: [String: [String]]
    /// The file the table came from ("" when none was found).
    let source: String

    init(zones: [String: [String]], source: String = "") {
        self.zones = zones
        self.source = source
    }

    /// Rows `countries<TAB>coordinates<TAB>zone[<TAB>comment]`; `#` lines and malformed rows skipped.
    static func parse(_ text: String, source: String = "") -> CountryZoneTable {
        var zones: [String: [String]] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard columns.count >= 3, !columns[2].isEmpty else { continue }
            let zone = String(columns[2])
            for country in columns[0].split(separator: ",") {
                let code = String(country)
                if !(zones[code]?.contains(zone) ?? false) { zones[code, default: []].append(zone) }
            }
        }
        return CountryZoneTable(zones: zones, source: source)
    }

    /// The first of `fileNames` found in `directory`, parsed; empty when none is readable.
    static func load(directory: String = defaultDirectory) -> CountryZoneTable {
        for name in fileNames {
            let path = directory + "/" + name
            if let data = FileManager.default.contents(atPath: path) {
                return parse(String(decoding: data, as: UTF8.self), source: path)
            }
        }
        return CountryZoneTable(zones: [:])
    }

    func zones(forCountry country: String) -> [String] { zones[country] ?? [] }
}
