import IonLink

extension ControllerTarget {
    /// A pulse generator's methods: the attempt's gate sequence as `[role, seconds]` steps.
    public static func pulses(_ generator: any PulseGenerator, role: String) -> ControllerTarget {
        ControllerTarget(name: role, docstring: "IonLink pulse generator \(role)", device: generator, methods: [
            ControllerMethod("program", [("steps", "list")],
                             doc: "Programs one attempt's gates: a list of [role, seconds] steps, role one of "
                                + PulseRole.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
                                + "; a step shorter than minimum_step_s() is refused (ValueError).") { a throws(ControllerFailure) in
                let steps = try a.list("steps")
                guard (1...Self.maximumSteps).contains(steps.count) else {
                    throw .value("program(): 1…\(Self.maximumSteps) steps, got \(steps.count)")
                }
                let sequence = PulseSequence(try steps.enumerated().map { i, step throws(ControllerFailure) in try Self.step(step, index: i) })
                do throws(PulseGeneratorError) { try await generator.program(sequence) } catch { throw ControllerFailure(error) }
                return .none
            },
            ControllerMethod("programmed", doc: "The programmed steps as [role, seconds] pairs (None if nothing is).") { _ in
                guard let s = await generator.programmed() else { return .none }
                return .list(s.steps.map { .tuple([.string($0.role.rawValue), .float($0.duration.inSeconds)]) })
            },
            ControllerMethod("stop", doc: "Stops the outputs.") { _ throws(ControllerFailure) in
                do throws(PulseGeneratorError) { try await generator.stop() } catch { throw ControllerFailure(error) }
                return .none
            },
            ControllerMethod("minimum_step_s", doc: "The shortest step the generator produces, in seconds.") { _ in
                .float(generator.minimumStep.inSeconds)
            },
        ])
    }

    /// The most steps one attempt may have.
    static let maximumSteps = 1_000

    private static func step(_ value: PyonValue, index: Int) throws(ControllerFailure) -> PulseStep {
        guard let pair = value.elements, pair.count == 2, case let .string(name) = pair[0] else {
            throw .arguments("program(): step \(index) must be [role, seconds], got \(value.json())")
        }
        guard let role = PulseRole(rawValue: name) else { throw .value("program(): step \(index) has no role '\(name)'") }
        let seconds = try ControllerArguments(method: "program", parameters: ["seconds"], args: [pair[1]], kwargs: []).seconds("seconds", in: 0...1)
        return PulseStep(role, seconds)
    }
}
