/// Limits on user fields, shared by registration, updates and the admin bootstrap.
public enum UserRules {
    /// Name length in characters after trimming.
    public static let nameLength = 2...100
    /// Password length in characters (the hasher also caps at 256 UTF-8 bytes).
    public static let passwordLength = 8...256
    /// Accepted spellings of a role (`salesperson` is an alias of `operator`).
    public static let roleNames = ["admin", "operator", "salesperson"]
}
