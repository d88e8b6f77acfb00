/// The product's version, reported as `ibrat_build_info{version}` and `--version`, and used by
/// `scripts/package-deb` as the default package version (it reads this line).
public enum BuildInfo {
    public static let version = "1.0.0"
}
