/// Turns a request's decoded path segments into a file path relative to the console folder, or
/// nil when the path must not be served: `..` or `.` segments, empty segments, hidden names
/// (leading dot), a slash, backslash or NUL inside a segment (an encoded `%2F` decodes into one),
/// or more than `maxSegments`. `/` is `index.html`. Pure.
public enum StaticPath {
    public static let maxSegments = 8
    public static let maxSegmentBytes = 128

    public static func relative(_ segments: [String]) -> String? {
        if segments.isEmpty || segments == [""] { return StaticWebRoot.indexFile }
        guard segments.count <= maxSegments else { return nil }
        for segment in segments {
            guard !segment.isEmpty, segment.utf8.count <= maxSegmentBytes, !segment.hasPrefix("."),
                  !segment.utf8.contains(where: { $0 == 0x2F || $0 == 0x5C || $0 == 0 }) else { return nil }
        }
        return segments.joined(separator: "/")
    }
}
