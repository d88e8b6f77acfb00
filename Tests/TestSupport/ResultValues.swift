/// The two sides of a `Result` as optionals, for assertions (`XCTAssertEqual(r.failureValue?.code, …)`).
extension Result {
    public var failureValue: Failure? { if case .failure(let error) = self { return error }; return nil }
    public var successValue: Success? { if case .success(let value) = self { return value }; return nil }
}
