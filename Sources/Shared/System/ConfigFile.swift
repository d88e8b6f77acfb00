import Glibc

/// Reading the optional `IBRAT_CONFIG` file and secret files. The config file holds
/// `KEY=value` lines: blank lines and lines starting with `#` are ignored, an optional
/// `export ` prefix is allowed, and a value may be wrapped in single quotes (taken literally)
/// or double quotes (`\"`, `\\`, `\n` and `\t` escapes). Anything else is an error naming the line.
enum ConfigFile {
    /// Largest config file accepted.
    static let maxConfigBytes = 1 << 20
    /// Largest secret file (JWT secret, admin password) accepted.
    static let maxSecretBytes = 64 << 10

    /// Parses config file text into key/value pairs; later lines win over earlier ones.
    static func parse(_ text: String, path: String) throws -> [String: String] {
        var values: [String: String] = [:]
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = Substring(rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine)
            line = line.drop(while: { $0 == " " || $0 == "\t" })
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = line.dropFirst(7).drop(while: { $0 == " " }) }
            let at = "line \(lineNumber) of \(path)"
            guard let equals = line.firstIndex(of: "=") else {
                throw ConfigError(variable: "IBRAT_CONFIG", message: "\(at): expected KEY=value")
            }
            let key = trim(line[..<equals])
            guard isValidKey(key) else {
                throw ConfigError(variable: "IBRAT_CONFIG", message: "\(at): \(ConfigError.quoted(key)) is not a variable name")
            }
            let rawValue = String(line[line.index(after: equals)...])
            guard let value = unquote(rawValue) else {
                throw ConfigError(variable: "IBRAT_CONFIG", message: "\(at): unbalanced quotes in the value of \(key)")
            }
            values[key] = value
        }
        return values
    }

    private static func isValidKey(_ key: String) -> Bool {
        guard let first = key.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
        return key.utf8.allSatisfy { byte in
            byte == UInt8(ascii: "_") || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
    }

    /// Strips surrounding blanks and one level of quotes; nil when a quote is not closed.
    static func unquote(_ raw: String) -> String? {
        let value = trim(Substring(raw))
        guard let first = value.first, first == "\"" || first == "'" else { return value }
        guard value.count >= 2, value.last == first else { return nil }
        let inner = value.dropFirst().dropLast()
        if first == "'" { return String(inner) }
        var out = ""
        var escaping = false
        for character in inner {
            if escaping {
                switch character {
                case "n": out.append("\n")
                case "t": out.append("\t")
                default: out.append(character)
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else if character == "\"" {
                return nil
            } else {
                out.append(character)
            }
        }
        return escaping ? nil : out
    }

    /// Reads a whole file of at most `limit` bytes as UTF-8; errors name `variable` and the path.
    static func read(path: String, variable: String, limit: Int) throws -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw unreadable(path, variable) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 << 10)
        while true {
            let n = Glibc.read(fd, &chunk, chunk.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw unreadable(path, variable)
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > limit {
                throw ConfigError(variable: variable, message: "\(path) is larger than \(limit) bytes")
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ConfigError(variable: variable, message: "\(path) is not valid UTF-8")
        }
        return text
    }

    private static func unreadable(_ path: String, _ variable: String) -> ConfigError {
        ConfigError(variable: variable, message: "cannot read \(path): \(String(cString: strerror(errno)))")
    }

    /// `text` without leading and trailing spaces and tabs.
    static func trim(_ text: Substring) -> String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = text.firstIndex(where: { !isBlank($0) }),
              let last = text.lastIndex(where: { !isBlank($0) }) else { return "" }
        return String(text[first...last])
    }

    /// True when `path` names an existing regular file (or a symlink to one).
    static func isFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }
}
