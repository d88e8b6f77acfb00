/// The vocabulary of user fields; their length rules are `FieldRules.userName` / `.userPassword`.
public enum UserRules {
    /// Accepted spellings of a role (`salesperson` is an alias of `operator`).
    public static let roleNames = ["admin", "operator", "salesperson"]
}
