import Foundation

/// Dispositions (issue 12): what an operator records that a call achieved. The list is
/// configurable (`IBRAT_DISPOSITIONS`); these names have effects decided by the queue-daemon:
/// `do_not_call` (number on the do-not-call list), `wrong_number` (lead failed), `callback` (lead
/// due again at `callbackAt`, reserved for the operator), `sale`, `interested`, `not_interested`
/// (lead closed with the disposition recorded). Any other name is only recorded.
public enum Dispositions {
    public static let defaults = ["interested", "not_interested", "callback", "wrong_number", "do_not_call",
                                  "voicemail", "sale"]
    /// The dispositions that count as conversions in reports.
    public static let conversions = ["sale", "interested"]
    public static let callback = "callback"
    public static let doNotCall = "do_not_call"
    public static let wrongNumber = "wrong_number"
    /// A call-back may be booked at most this far ahead.
    public static let maxCallbackDays = 30
    public static let maxNameLength = 40

    /// `a,b,c` → names (trimmed, duplicates dropped); nil when empty or a name is malformed.
    public static func parse(_ text: String) -> [String]? {
        var names: [String] = []
        for piece in text.split(separator: ",") {
            let name = piece.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, name.count <= maxNameLength,
                  name.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F }) else { return nil }
            if !names.contains(name) { names.append(name) }
        }
        return names.isEmpty ? nil : names
    }
}
