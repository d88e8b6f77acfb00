/// Literal substring search with SQL `LIKE` (fix of bug 24: no user-supplied regex, so no ReDoS
/// and no 500 on a bad pattern). The text is escaped with `\` so `%`, `_` and `\` match
/// themselves; use with `LIKE ? ESCAPE '\'`. SQLite's LIKE ignores case for ASCII letters;
/// other scripts match exactly as typed.
public enum LikePattern {
    /// `%<escaped text>%`.
    public static func contains(_ text: String) -> String {
        var out = "%"
        for ch in text {
            if ch == "%" || ch == "_" || ch == "\\" { out.append("\\") }
            out.append(ch)
        }
        out.append("%")
        return out
    }

    /// The SQL fragment for one column: `<column> LIKE ? ESCAPE '\'`.
    public static func clause(_ column: String) -> String {
        "\(column) LIKE ? ESCAPE '\\'"
    }
}
