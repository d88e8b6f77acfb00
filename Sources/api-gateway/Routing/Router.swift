/// Method + path routing with `:param` segments and a trailing `*` wildcard. Patterns are split
/// once into a segment tree; matching walks the request's decoded segments, trying a literal
/// child before a parameter and a parameter before a wildcard. Unknown paths answer 404, known
/// paths with another method 405 with `Allow`; HEAD falls back to the GET route (the server
/// drops the body); OPTIONS without a route answers 204 with `Allow` (CORS preflights are
/// answered before routing by `CORSPolicy`).
public final class Router {
    public typealias Handler = (HTTPRequest, HTTPResponder) -> Void

    struct Route {
        let pattern: String
        let paramNames: [String]
        let bodyLimit: Int?
        let handler: Handler
    }

    final class Node {
        var literals: [String: Node] = [:]
        var param: Node?
        var wildcard: [String: Route] = [:]
        var routes: [String: Route] = [:]
    }

    public enum Match {
        case found(handler: Handler, params: [String: String], pattern: String)
        case methodNotAllowed(allowed: [String])
        case notFound
    }

    private let root = Node()
    public var defaultBodyLimit = HTTPLimits.defaultBodyBytes
    /// Every route as registered, in order: the method and the pattern (`/api/leads/:id`). The
    /// OpenAPI contract test compares it with docs/openapi.json.
    public private(set) var registeredRoutes: [(method: String, pattern: String)] = []

    public init() {}

    /// Registers `handler` for `method` and `pattern` (`/api/leads/:id`, `/assets/*`).
    /// `bodyLimit` overrides the default body limit for this route (the CSV upload).
    public func add(_ method: String, _ pattern: String, bodyLimit: Int? = nil, _ handler: @escaping Handler) {
        registeredRoutes.append((method, pattern))
        var node = root
        var names: [String] = []
        let parts = pattern.split(separator: "/", omittingEmptySubsequences: true)
        for (i, part) in parts.enumerated() {
            if part == "*" && i == parts.count - 1 {
                names.append("*")
                precondition(node.wildcard[method] == nil, "duplicate route \(method) \(pattern)")
                node.wildcard[method] = Route(pattern: pattern, paramNames: names, bodyLimit: bodyLimit, handler: handler)
                return
            }
            if part.hasPrefix(":") {
                names.append(String(part.dropFirst()))
                if node.param == nil { node.param = Node() }
                node = node.param!
            } else {
                let key = String(part)
                if let child = node.literals[key] { node = child } else {
                    let child = Node()
                    node.literals[key] = child
                    node = child
                }
            }
        }
        precondition(node.routes[method] == nil, "duplicate route \(method) \(pattern)")
        node.routes[method] = Route(pattern: pattern, paramNames: names, bodyLimit: bodyLimit, handler: handler)
    }

    public func get(_ pattern: String, _ handler: @escaping Handler) { add("GET", pattern, handler) }
    public func post(_ pattern: String, bodyLimit: Int? = nil, _ handler: @escaping Handler) {
        add("POST", pattern, bodyLimit: bodyLimit, handler)
    }
    public func put(_ pattern: String, _ handler: @escaping Handler) { add("PUT", pattern, handler) }
    public func patch(_ pattern: String, _ handler: @escaping Handler) { add("PATCH", pattern, handler) }
    public func delete(_ pattern: String, _ handler: @escaping Handler) { add("DELETE", pattern, handler) }

    /// Finds the route table for `segments`: the routes by method and the captured values.
    func lookup(_ segments: [String]) -> (routes: [String: Route], values: [String])? {
        var values: [String] = []  // no storage until a parameter is captured
        return walk(root, segments, 0, &values)
    }

    private func walk(_ node: Node, _ segments: [String], _ index: Int,
                      _ values: inout [String]) -> (routes: [String: Route], values: [String])? {
        if index == segments.count {
            if !node.routes.isEmpty { return (node.routes, values) }
            if !node.wildcard.isEmpty { return (node.wildcard, values + [""]) }
            return nil
        }
        let segment = segments[index]
        if let child = node.literals[segment], let found = walk(child, segments, index + 1, &values) {
            return found
        }
        if let child = node.param, !segment.isEmpty {
            values.append(segment)
            if let found = walk(child, segments, index + 1, &values) { return found }
            values.removeLast()
        }
        if !node.wildcard.isEmpty {
            return (node.wildcard, values + [segments[index...].joined(separator: "/")])
        }
        return nil
    }

    public func match(method: String, segments: [String]) -> Match {
        guard let (routes, values) = lookup(segments) else { return .notFound }
        guard let route = routes[method] ?? (method == "HEAD" ? routes["GET"] : nil) else {
            return .methodNotAllowed(allowed: Self.allowed(routes))
        }
        var params: [String: String] = [:]
        for (name, value) in zip(route.paramNames, values) { params[name] = value }
        return .found(handler: route.handler, params: params, pattern: route.pattern)
    }

    static func allowed(_ routes: [String: Route]) -> [String] {
        var methods = Set(routes.keys)
        if methods.contains("GET") { methods.insert("HEAD") }
        methods.insert("OPTIONS")
        return methods.sorted()
    }

    /// Routes the request: sets `pathParams` and `routePattern` and calls the handler, or answers
    /// 404 / 405 / OPTIONS itself.
    public func handle(_ request: HTTPRequest, _ responder: HTTPResponder) {
        switch match(method: request.method, segments: request.pathSegments) {
        case .found(let handler, let params, let pattern):
            request.pathParams = params
            request.routePattern = pattern
            handler(request, responder)
        case .methodNotAllowed(let allowed):
            let allow = allowed.joined(separator: ", ")
            if request.method == "OPTIONS" {
                responder.send(.empty(204, headers: ["Allow": allow]))
            } else {
                var response = HTTPResponse.error(405, error: "Method Not Allowed",
                                                  message: "Method \(request.method) is not allowed for this route")
                response.headers.set("Allow", allow)
                responder.send(response)
            }
        case .notFound:
            responder.send(Self.notFound())
        }
    }

    /// `404 {"error":"Not Found","message":"Route not found"}`.
    public static func notFound() -> HTTPResponse {
        .error(404, error: "Not Found", message: "Route not found")
    }

    /// The body limit of the route a request head targets (`HTTPServer.bodyLimit`): the route's
    /// own limit, else `defaultBodyLimit`.
    public func bodyLimit(for head: HTTPRequestHead) -> Int {
        guard let segments = PercentDecoding.pathSegments(head.rawPath), let (routes, _) = lookup(segments),
              let route = routes[head.method] else { return defaultBodyLimit }
        return route.bodyLimit ?? defaultBodyLimit
    }
}
