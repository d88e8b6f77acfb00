/// A configuration problem found at start-up. The description starts with the variable name,
/// e.g. `IBRAT_HTTP_PORT: must be an integer from 0 to 65535 (got "abc")`, so the daemon's last
/// log line tells the operator exactly what to fix.
public struct ConfigError: Error, CustomStringConvertible, Equatable {
    /// The environment variable (or pseudo-variable such as `IBRAT_SIM_P_*`) at fault.
    public let variable: String
    /// What is wrong with it.
    public let message: String

    public init(variable: String, message: String) {
        self.variable = variable
        self.message = message
    }

    /// A "must be ... (got "value")" error.
    static func invalid(_ variable: String, _ requirement: String, got value: String) -> ConfigError {
        ConfigError(variable: variable, message: "\(requirement) (got \(quoted(value)))")
    }

    /// `value` in double quotes, with quotes, backslashes and control characters escaped.
    static func quoted(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    public var description: String { "\(variable): \(message)" }
}
