import Shared

/// Literal substring search with SQL `LIKE` (fix of bug 24: no user-supplied regex, so no ReDoS
/// and no 500 on a bad pattern). The text is escaped with `\` so `%`, `_` and `\` match
/// themselves. Case is ignored in every script: both sides go through Unicode lower-casing
/// (`ufold`, registered on every connection by `Database`), since SQLite's LIKE folds only ASCII.
public enum LikePattern {
    /// `%<escaped text>%`.
    public static func contains(_ text: String) -> String {
        var out = "%"
        for ch in UnicodeFold.fold(text) {
            if ch == "%" || ch == "_" || ch == "\\" { out.append("\\") }
            out.append(ch)
        }
        out.append("%")
        return out
    }

    /// The SQL fragment for one column: `ufold(<column>) LIKE ? ESCAPE '\'`.
    public static func clause(_ column: String) -> String {
        "\(UnicodeFold.functionName)(\(column)) LIKE ? ESCAPE '\\'"
    }
}
