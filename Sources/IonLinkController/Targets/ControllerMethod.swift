/// One method a pc_rpc target offers: its name, its parameters in order, its documentation and what it does.
///
/// Method names carry the SI unit of what they set or return (`set_power_w`, `bias_a`); a setpoint outside the
/// lab YAML's limits is refused with `ValueError` before anything is sent.
public struct ControllerMethod: Sendable {
    public typealias Body = @Sendable (ControllerArguments) async throws(ControllerFailure) -> PyonValue

    public var name: String
    /// Parameter names with the Python type each takes (`float`, `int`, `bool`, `str`, `list`), in order.
    public var parameters: [(name: String, type: String)]
    public var doc: String
    public var body: Body

    public init(_ name: String, _ parameters: [(name: String, type: String)] = [], doc: String, _ body: @escaping Body) {
        self.name = name
        self.parameters = parameters
        self.doc = doc
        self.body = body
    }

    /// Binds a call's positional and keyword arguments to the parameters, as Python does, then runs the method.
    public func call(args: [PyonValue], kwargs: [PyonValue.Entry]) async throws(ControllerFailure) -> PyonValue {
        try await body(ControllerArguments(method: name, parameters: parameters.map(\.name), args: args, kwargs: kwargs))
    }

    /// The method as sipyco's `get_rpc_method_list` describes it: `(argspec, docstring)`, where argspec has
    /// the fields of Python's `inspect.getfullargspec` (what `sipyco_rpctool list-methods` prints).
    public var described: PyonValue {
        let argspec = PyonValue.object([
            "args": .list([.string("self")] + parameters.map { .string($0.name) }),
            "varargs": .none, "varkw": .none, "defaults": .none, "kwonlyargs": .list([]), "kwonlydefaults": .none,
            "annotations": .dict(parameters.map { .init(.string($0.name), .string($0.type)) }),
        ])
        return .tuple([argspec, .string(doc)])
    }
}
